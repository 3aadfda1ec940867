// One dismissible notice at a time, with Undo when the host offers it.
import type { HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import { button, h } from '../dom';

type Notice = Extract<HostToWebview, { type: 'notice' }>;

export class NoticeBar {
  private readonly text = h('span', { class: 'notice-text' });
  private readonly undo = button('Undo', 'notice-undo', 'Undo', {});
  private readonly dismiss = button('×', 'notice-dismiss', 'Dismiss notice');
  readonly element = h('div', { class: 'notice-bar', hidden: true, attrs: { id: 'notice' } }, this.text, this.undo, this.dismiss);

  constructor(post: (message: WebviewToHost) => void) {
    this.undo.addEventListener('click', () => {
      post({ type: 'undoDelete' });
      this.hide();
    });
    this.dismiss.addEventListener('click', () => this.hide());
  }

  show(notice: Notice): void {
    this.text.textContent = notice.text;
    this.element.dataset.level = notice.level;
    this.element.setAttribute('role', notice.level === 'error' ? 'alert' : 'status');
    this.undo.hidden = !notice.undo;
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
