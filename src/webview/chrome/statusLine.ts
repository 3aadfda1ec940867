// Provider/model, where messages go, device, context use and the last answer's speed, in one line.
import type { Status } from '../../protocol/webviewMessages';
import { h } from '../dom';
import { costWithSource } from './formatCost';

const numberFormat = new Intl.NumberFormat();

export class StatusLine {
  private readonly model = h('span', { class: 'status-model', attrs: { id: 'status-model' } });
  private readonly endpoint = h('span', { class: 'status-endpoint', attrs: { id: 'status-endpoint' } });
  private readonly device = h('span', { class: 'status-device', attrs: { id: 'status-device' } });
  private readonly context = h('span', { class: 'status-context', attrs: { id: 'status-context' } });
  private readonly speed = h('span', { class: 'status-speed', attrs: { id: 'status-speed' } });
  private lastSpeed = '';
  readonly element = h('footer', { class: 'status-line', attrs: { id: 'status', 'aria-label': 'Model status' } }, this.model, this.endpoint, this.device, this.context, this.speed);

  render(status: Status): void {
    this.model.textContent = status.model ? `${status.providerLabel} · ${status.model}` : status.providerLabel;
    this.endpoint.textContent = status.endpoint ? (status.endpoint === 'this computer' ? 'on this computer' : `→ ${status.endpoint}`) : '';
    this.endpoint.hidden = !status.endpoint;
    this.endpoint.title = status.endpoint ? `Your messages go to ${status.endpoint}` : '';
    this.device.textContent = status.device && status.deviceDetail ? `${status.device} · ${status.deviceDetail}` : (status.device ?? '');
    this.device.hidden = !status.device;
    if (status.deviceNote) this.device.title = status.deviceNote;
    else this.device.removeAttribute('title');

    const { contextUsed, contextWindow } = status;
    this.context.hidden = contextUsed === undefined && contextWindow === undefined;
    this.context.textContent = contextWindow
      ? `${numberFormat.format(contextUsed ?? 0)} / ${numberFormat.format(contextWindow)} tokens`
      : `${numberFormat.format(contextUsed ?? 0)} tokens`;
    this.context.classList.toggle('near-limit', !!contextWindow && (contextUsed ?? 0) / contextWindow > 0.9);
    this.context.title = 'Tokens the conversation uses out of the model\'s context window';

    const stats = status.lastStats;
    const parts: string[] = [];
    const spent = (status.conversationCost ?? []).filter((c) => c.amount > 0).map(costWithSource);
    if (spent.length) parts.push(`this chat ${spent.join(' + ')}`);
    if (stats?.tokensPerSecond !== undefined) parts.push(`${stats.tokensPerSecond.toFixed(1)} tok/s`);
    if (stats?.timeToFirstTokenMs !== undefined) parts.push(`first token ${Math.round(stats.timeToFirstTokenMs)} ms`);
    this.lastSpeed = parts.join(' · ');
    if (!this.speed.classList.contains('live')) this.showLastSpeed();
  }

  /** The answer being written, in place of the last answer's figures; undefined puts those back. */
  showLive(text: string | undefined): void {
    this.speed.classList.toggle('live', text !== undefined);
    if (text === undefined) return this.showLastSpeed();
    this.speed.textContent = text;
    this.speed.hidden = false;
    this.speed.title = 'This answer so far';
  }

  private showLastSpeed(): void {
    this.speed.textContent = this.lastSpeed;
    this.speed.hidden = this.lastSpeed === '';
    this.speed.title = 'Speed of the last answer';
  }
}
