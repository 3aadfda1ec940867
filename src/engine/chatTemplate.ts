// Renders a model's chat template as transformers' apply_chat_template does. @huggingface/jinja's
// own render() supplies strftime_now through Intl in the process's locale (a German system writes
// Llama 3.2's "Today Date: 05 Dez 2026" where Python writes "05 Dec 2026") and knows only
// %Y %m %d %b %B %H %M; its globals cannot be replaced through render()'s variables, so this renders
// with the library's interpreter and the same globals, strftime_now in Python's C locale.
import { Environment, Interpreter, Template } from '@huggingface/jinja';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Python's time.strftime in the C locale, for the directives chat templates use (others are kept as written). */
export function strftime(date: Date, format: string): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const hour12 = date.getHours() % 12 === 0 ? 12 : date.getHours() % 12;
  const startOfYear = new Date(date.getFullYear(), 0, 1);
  const dayOfYear = Math.round((new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime() - startOfYear.getTime()) / 86_400_000) + 1;
  const values: Record<string, string> = {
    Y: String(date.getFullYear()),
    y: pad(date.getFullYear() % 100),
    m: pad(date.getMonth() + 1),
    d: pad(date.getDate()),
    e: String(date.getDate()).padStart(2, ' '),
    b: (MONTHS[date.getMonth()] as string).slice(0, 3),
    h: (MONTHS[date.getMonth()] as string).slice(0, 3),
    B: MONTHS[date.getMonth()] as string,
    a: (DAYS[date.getDay()] as string).slice(0, 3),
    A: DAYS[date.getDay()] as string,
    H: pad(date.getHours()),
    I: pad(hour12),
    M: pad(date.getMinutes()),
    S: pad(date.getSeconds()),
    p: date.getHours() < 12 ? 'AM' : 'PM',
    j: pad(dayOfYear, 3),
    '%': '%',
  };
  return format.replace(/%(.)/g, (whole, directive: string) => values[directive] ?? whole);
}

export class ChatTemplate {
  private readonly template: Template;

  /** Throws when the source does not parse. */
  constructor(source: string, private readonly now: () => Date = () => new Date()) {
    this.template = new Template(source);
  }

  render(variables: Record<string, unknown>): string {
    const env = new Environment();
    // The globals of @huggingface/jinja's Template.render, with a C-locale strftime_now.
    const globals: Record<string, unknown> = {
      false: false,
      true: true,
      none: null,
      False: false,
      True: true,
      None: null,
      raise_exception: (message: unknown) => {
        throw new Error(String(message));
      },
      range,
      strftime_now: (format: unknown) => strftime(this.now(), String(format)),
    };
    for (const [name, value] of Object.entries({ ...globals, ...variables })) env.set(name, value);
    const result = new Interpreter(env).run(this.template.parsed).value;
    if (typeof result !== 'string') throw new Error('The chat template did not render to text.');
    return result;
  }
}

/** Python's range(stop) / range(start, stop[, step]), as the library's global. */
function range(start: number, stop?: number, step = 1): number[] {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new Error('range() step must not be zero');
  const out: number[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(i);
  return out;
}
