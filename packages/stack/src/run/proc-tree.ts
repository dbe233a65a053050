/**
 * Test support (Linux): the processes below a pid, read from /proc, so a test can check that every
 * one of them is gone — not just the one it started. A process is identified by pid and start
 * time, so a recycled pid never passes for a survivor.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  pid: number;
  ppid: number;
  startTime: string;
  cmd: string;
}

function stat(pid: number): { ppid: number; state: string; startTime: string } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, ppid: Number(fields[1]), startTime: fields[19]! };
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Every live process whose chain of parents reaches `root` (root excluded). */
export function descendants(root: number): Proc[] {
  const all: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const s = stat(pid);
    if (s && s.state !== 'Z') all.push({ pid, ppid: s.ppid, startTime: s.startTime, cmd: cmdline(pid) });
  }
  const found: Proc[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const p of all) {
      if (p.ppid !== parent) continue;
      found.push(p);
      frontier.push(p.pid);
    }
  }
  return found;
}

/** Gone: no such pid, a zombie awaiting its reaper, or the pid now names another process. */
export function isGone(p: Proc): boolean {
  const s = stat(p.pid);
  return s === undefined || s.state === 'Z' || s.startTime !== p.startTime;
}
