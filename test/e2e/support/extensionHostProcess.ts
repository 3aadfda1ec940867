// Finds the remote extension host that a test's code-server started, so a test can kill it like a crash would.
// code-server forks it from its own server process as `.../bootstrap-fork --type=extensionHost ...`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface ProcessRow {
  pid: number;
  ppid: number;
  args: string;
}

async function processTable(): Promise<ProcessRow[]> {
  // -ww: never cut the command line short (the markers sit far into it).
  const { stdout } = await run('ps', ['-A', '-ww', '-o', 'pid=,ppid=,args=']);
  const rows: ProcessRow[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (match) rows.push({ pid: Number(match[1]), ppid: Number(match[2]), args: match[3] ?? '' });
  }
  return rows;
}

/** Pids of the live extension hosts below the code-server listening on `port` (several only during a reload). */
export async function extensionHostPids(port: number): Promise<number[]> {
  const rows = await processTable();
  const listensOnPort = new RegExp(`--bind-addr[= ]\\S*:${port}(\\s|$)`);
  const ours = new Set(rows.filter((r) => listensOnPort.test(r.args)).map((r) => r.pid));
  if (ours.size === 0) throw new Error(`No code-server process listening on port ${port} was found in \`ps\`.`);
  // Parents may be listed after their children: grow the set of descendants until it stops changing.
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) {
      if (!ours.has(row.pid) && ours.has(row.ppid)) {
        ours.add(row.pid);
        grew = true;
      }
    }
  }
  return rows.filter((r) => ours.has(r.pid) && /\s--type=extensionHost(\s|$)/.test(r.args)).map((r) => r.pid);
}
