// Compare panel entry point: build the panel, listen to the host, then say we are ready.
import { CompareApp } from './compareApp';
import { CompareHost } from './compareHost';

const root = document.getElementById('root');
if (!root) throw new Error('Hearth compare: the page has no #root element');
const host = new CompareHost();
const app = new CompareApp(root, (message) => host.post(message));
host.listen((message) => app.handle(message));
host.post({ type: 'ready' });
