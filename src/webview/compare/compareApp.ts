// The Compare Models panel: a prompt, two targets, Run / Stop, and the two answers side by side.
import type { CompareToHost, HostToCompare, SideIndex } from '../../protocol/compareMessages';
import { h } from '../dom';
import { safeLinkTarget } from '../markdown/linkPolicy';
import { FrameScheduler } from '../messages/frameScheduler';
import { SideView } from './sideView';
import { TargetPicker } from './targetPicker';

export class CompareApp {
  private readonly prompt = h('textarea', {
    attrs: { id: 'compare-prompt', rows: '3', 'aria-label': 'Prompt sent to both models. Ctrl+Enter runs.', placeholder: 'A prompt for both models (Ctrl+Enter runs)' },
  });
  private readonly run = h('button', { class: 'primary', text: 'Compare', attrs: { id: 'compare-run', type: 'button', title: 'Send the prompt to both (Ctrl+Enter)' } });
  private readonly stop = h('button', { text: 'Stop', hidden: true, attrs: { id: 'compare-stop', type: 'button', title: 'Stop both answers (Escape)' } });
  private readonly pickers = [new TargetPicker(0), new TargetPicker(1)] as const;
  private readonly scheduler = new FrameScheduler();
  private readonly sides = [new SideView(0, this.scheduler), new SideView(1, this.scheduler)] as const;
  private readonly notice = h('div', { class: 'compare-notice', hidden: true, attrs: { role: 'status' } });
  private readonly columns = h('div', { class: 'compare-columns' }, this.sides[0].element, this.sides[1].element);
  private running = false;

  constructor(
    root: HTMLElement,
    private readonly post: (message: CompareToHost) => void,
  ) {
    const form = h(
      'div',
      { class: 'compare-form' },
      this.prompt,
      h('div', { class: 'compare-targets' }, this.pickers[0].element, h('span', { class: 'compare-vs', text: 'vs' }), this.pickers[1].element, this.run, this.stop),
    );
    root.replaceChildren(h('main', { class: 'compare' }, form, this.notice, this.columns));
    this.run.addEventListener('click', () => this.submit());
    this.stop.addEventListener('click', () => this.stopBoth());
    this.prompt.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.running) this.stopBoth();
    });
    for (const side of this.sides) side.continueButton.addEventListener('click', () => this.post({ type: 'continueInChat', side: side.side }));
    this.columns.addEventListener('click', (event) => this.onAnswerClick(event));
  }

  handle(message: HostToCompare): void {
    switch (message.type) {
      case 'init':
        message.targets.forEach((target, i) => this.pickers[i as SideIndex].set(message.providers, target));
        if (message.prompt) this.prompt.value = message.prompt;
        this.setRunning(message.running);
        break;
      case 'started':
        this.notice.hidden = true;
        this.prompt.value = message.prompt;
        message.sides.forEach((info, i) => this.sides[i as SideIndex].start(info));
        this.setRunning(true);
        break;
      case 'delta':
        this.sides[message.side].append(message.text);
        break;
      case 'reasoningDelta':
        this.sides[message.side].appendReasoning(message.text);
        break;
      case 'answerWasReasoning':
        this.sides[message.side].answerWasReasoning();
        break;
      case 'sideDone':
        this.sides[message.side].done(message.status, message.error, message.stats);
        this.syncModelRemedies();
        break;
      case 'finished':
        this.setRunning(false);
        break;
      case 'notice':
        this.notice.textContent = message.text;
        this.notice.dataset.level = message.level;
        this.notice.hidden = false;
        break;
    }
  }

  private submit(): void {
    const prompt = this.prompt.value;
    if (this.running || !prompt.trim()) return;
    this.post({ type: 'run', prompt, targets: [this.pickers[0].value, this.pickers[1].value] });
  }

  private stopBoth(): void {
    if (this.running) this.post({ type: 'stop' });
  }

  private setRunning(running: boolean): void {
    this.running = running;
    this.run.disabled = running;
    this.stop.hidden = !running;
    this.prompt.readOnly = running;
    for (const picker of this.pickers) picker.disabled = running;
    this.syncModelRemedies();
  }

  /** Change Model leads to the side's model field, which waits for the other side to finish. */
  private syncModelRemedies(): void {
    for (const remedy of this.columns.querySelectorAll<HTMLButtonElement>('.message-error-remedy[data-remedy="selectModel"]')) remedy.disabled = this.running;
  }

  /** A failed side's fix: its provider's key (the host asks for it), or its own model field. */
  private onRemedy(remedy: HTMLElement): void {
    const side = remedy.closest<HTMLElement>('.compare-side')?.dataset.side;
    if (side !== '0' && side !== '1') return;
    const index: SideIndex = side === '0' ? 0 : 1;
    if (remedy.dataset.remedy === 'setApiKey') this.post({ type: 'setApiKey', side: index });
    else if (remedy.dataset.remedy === 'selectModel') this.pickers[index].focusModel();
  }

  private onAnswerClick(event: MouseEvent): void {
    if (!(event.target instanceof Element)) return;
    const link = event.target.closest('.compare-body a, .message-thinking-body a');
    if (link) {
      // As in the chat view: never navigate the webview, and keep VS Code's own link handler from opening it too.
      event.preventDefault();
      event.stopPropagation();
      const url = safeLinkTarget(link.getAttribute('href'));
      if (url) this.post({ type: 'openLink', url });
      return;
    }
    const remedy = event.target.closest<HTMLElement>('.message-error-remedy');
    if (remedy) return this.onRemedy(remedy);
    const copy = event.target.closest<HTMLElement>('.code-action[data-action="copy"]');
    const code = copy?.closest('.code-frame')?.querySelector('code');
    if (code) this.post({ type: 'copyText', text: code.textContent ?? '' });
  }
}
