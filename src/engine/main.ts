// Entry of the engine host child process (bundled to dist/engineHost.js): JSON-RPC over the
// IPC channel its parent opened with child_process.fork. Exits when the parent goes away.
import { IPCMessageReader, IPCMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import { serveEngine } from './engineServer';

if (!process.send) {
  process.stderr.write('The Hearth engine host must be started with child_process.fork (it needs an IPC channel).\n');
  process.exit(2);
}

const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
serveEngine(connection);
connection.onClose(() => process.exit(0));
process.on('disconnect', () => process.exit(0));
connection.listen();
