// Webview entry point: build the panel, listen to the host, then say we are ready.
import { App } from './app';
import { Host } from './host';

const root = document.getElementById('root');
if (!root) throw new Error('Hearth webview: the page has no #root element');
const host = new Host();
const app = new App(root, host);
host.listen((message) => app.handle(message));
host.post({ type: 'ready' });
