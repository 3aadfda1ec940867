// A <select> that looks like VS Code's own dropdowns: chat.css hides the native arrow and draws this
// codicon chevron over the select's right end (the select keeps its keyboard and accessibility).
import { codicon, h } from './dom';

export function selectBox(select: HTMLSelectElement): HTMLElement {
  return h('span', { class: 'select-box' }, select, codicon('chevron-down'));
}
