// DOMPurify as the second line of defence behind markdown-it's own escaping. It runs on the
// HTML string, in an inert document, before anything reaches the live DOM: checks after the
// DOM is built are too late (images would already have been fetched).
import DOMPurify, { type Config } from 'dompurify';
import { safeLinkTarget } from './linkPolicy';

const CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS: [
    'a', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p',
    'pre', 's', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
  ],
  ALLOWED_ATTR: ['href', 'title', 'class', 'start'],
  FORBID_TAGS: ['style', 'script', 'svg', 'math', 'img', 'iframe', 'object', 'embed', 'link', 'meta', 'base', 'form'],
  FORBID_ATTR: ['style', 'src', 'srcset', 'action', 'formaction', 'xlink:href'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOWED_URI_REGEXP: /^(?:https?:\/\/|mailto:)/i,
  RETURN_DOM_FRAGMENT: true,
};

let hooksInstalled = false;

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  DOMPurify.addHook('uponSanitizeAttribute', (_node, data) => {
    // Event handlers never pass, whatever the allow-list says.
    if (/^on/i.test(data.attrName)) data.keepAttr = false;
  });
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = safeLinkTarget(node.getAttribute('href'));
    if (href) node.setAttribute('href', href);
    else node.removeAttribute('href');
  });
}

/** Sanitized, inert DOM for `html`; nothing in it has touched the live document yet. */
export function sanitizeToFragment(html: string): DocumentFragment {
  installHooks();
  return DOMPurify.sanitize(html, CONFIG);
}
