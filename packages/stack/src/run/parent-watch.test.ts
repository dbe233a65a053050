/**
 * onParentGone without an IPC channel — how the start process notices that npm (or whatever ran it)
 * died by SIGKILL: a shell stands in for npm, is killed, and the watcher below it must exit.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { descendants, isGone } from './proc-tree.ts';

const watchModule = fileURLToPath(new URL('./parent-watch.ts', import.meta.url));
const watcher = `import(${JSON.stringify(watchModule)}).then((m) => {
  m.onParentGone(() => process.exit(0), 100);
  setInterval(() => {}, 1000); // stays up until its parent is gone
  console.log("watching");
});`;

it('calls back once the parent is gone, even when the parent died by SIGKILL', async () => {
  const parent = spawn('sh', ['-c', `"${process.execPath}" --import tsx -e '${watcher}' & wait`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Kill the parent only once the watcher has recorded it (loading tsx takes seconds on a busy machine).
  await new Promise<void>((resolve) =>
    parent.stdout.on('data', (c: Buffer) => c.toString().includes('watching') && resolve()),
  );
  const child = descendants(parent.pid!).find((p) => p.cmd.includes('parent-watch.ts'));
  expect(child, 'the watcher runs below the shell').toBeDefined();
  parent.kill('SIGKILL');

  const deadline = Date.now() + 10_000;
  while (!isGone(child!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const survived = !isGone(child!);
  if (survived) process.kill(child!.pid, 'SIGKILL');
  expect(survived, 'the watcher exited after its parent was killed').toBe(false);
});
