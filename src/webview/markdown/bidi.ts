// Bidirectional-control characters (U+202E and kin) can make text display in an order other than
// the one it has, e.g. a link's host label shown reversed ("Trojan Source"). In rendered answers
// each one is wrapped in an isolating span that shows its code point (see chat.css), so its
// effect stays inside the span and the user sees that it is there. The character itself stays
// in the text, so Copy still copies exactly what the model wrote.
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function hasBidiControls(text: string): boolean {
  return BIDI_CONTROL.test(text);
}

/** Wraps every bidi control in the text under `root` in a `span.bidi-control`. */
export function revealBidiControls(root: Node): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const found: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node instanceof Text && BIDI_CONTROL.test(node.data)) found.push(node);
  }
  for (const node of found) node.replaceWith(...splitAtControls(node.data));
}

function splitAtControls(text: string): Node[] {
  const nodes: Node[] = [];
  let last = 0;
  for (const match of text.matchAll(BIDI_CONTROLS)) {
    if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
    const codePoint = `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    const span = document.createElement('span');
    span.className = 'bidi-control';
    span.dataset.codePoint = codePoint;
    span.title = `Bidirectional control character ${codePoint}`;
    span.textContent = match[0];
    nodes.push(span);
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}
