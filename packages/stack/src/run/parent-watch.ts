/**
 * Noticing that the process which started this one is gone, even when it died by SIGKILL and had
 * no chance to say so (ADR 0080). With an IPC channel (how `npm start` runs its parts) the
 * channel's close is the signal: the kernel closes it when the parent dies, however it dies.
 * Without one (the start process itself, run by npm or a shell) the parent id is polled: an
 * orphan is re-parented, so a changed `process.ppid` means the parent is gone.
 */
export function onParentGone(onGone: () => void, pollMs = 500): void {
  if (process.channel) {
    process.once('disconnect', onGone);
    // Watching must not keep an otherwise finished process alive.
    process.channel.unref();
    return;
  }
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, pollMs);
  timer.unref();
}
