/**
 * Every fixed port of the stack is checked before anything starts, so a taken port is reported as
 * such (which port, which variable sets it) instead of surfacing later as one part's crash.
 */
import { createServer } from 'node:net';

export class PortsInUseError extends Error {
  override readonly name = 'PortsInUseError';
  constructor(readonly taken: { name: string; port: number }[]) {
    super(
      taken.length === 1
        ? `port ${taken[0]!.port} (${taken[0]!.name}) is already in use by another program; stop it or set ${taken[0]!.name} to a free port`
        : `ports already in use by other programs: ${taken.map((t) => `${t.port} (${t.name})`).join(', ')}; stop them or set those variables to free ports`,
    );
  }
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** Throws PortsInUseError naming every taken port; port 0 (any free port) is never checked. */
export async function assertPortsFree(ports: Record<string, number>, host: string): Promise<void> {
  const entries = Object.entries(ports).filter(([, port]) => port !== 0);
  const free = await Promise.all(entries.map(([, port]) => isFree(port, host)));
  const taken = entries.filter((_, i) => !free[i]).map(([name, port]) => ({ name, port }));
  if (taken.length > 0) throw new PortsInUseError(taken);
}

/** A port nothing listens on right now (for tests and the bench that need a fixed port up front). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
