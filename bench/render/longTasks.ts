// The longest task on the page's main thread during a run, from a Chromium trace (RunTask
// events of the renderer's main thread): what the user feels as a frozen panel. Counted in
// thread time (the trace's tdur), as the rest of bench:render is, so that other load on the
// machine (a 2-core VM shared with builds) does not pass for the panel's own work.
import type { CDPSession } from 'playwright-core';
import { z } from 'zod';

const TraceEventSchema = z.object({
  name: z.string(),
  ph: z.string(),
  pid: z.number(),
  tid: z.number(),
  dur: z.number().optional(),
  tdur: z.number().optional(),
  args: z.object({ name: z.string().optional() }).loose().optional(),
});
type TraceEvent = z.infer<typeof TraceEventSchema>;

export async function longestTaskMs(cdp: CDPSession, run: () => Promise<unknown>): Promise<number> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => {
    for (const raw of value) {
      const parsed = TraceEventSchema.safeParse(raw);
      if (parsed.success) events.push(parsed.data);
    }
  });
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { categories: '__metadata,toplevel,devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  try {
    await run();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
  }
  const mainThreads = new Set(
    events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  let longest = 0;
  for (const event of events) {
    if (event.name === 'RunTask' && event.ph === 'X' && mainThreads.has(`${event.pid}:${event.tid}`)) {
      longest = Math.max(longest, (event.tdur ?? event.dur ?? 0) / 1000);
    }
  }
  return longest;
}
