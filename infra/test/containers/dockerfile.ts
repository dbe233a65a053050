/**
 * A small Dockerfile reader for tests (no Docker engine here): joins continuation lines, drops
 * comments, and groups instructions by build stage.
 */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  readonly from: string;
  readonly name?: string;
  readonly instructions: Instruction[];
}

export function parseDockerfile(text: string): { preamble: Instruction[]; stages: Stage[] } {
  const instructions: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i] ?? '';
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      i++;
      const next = lines[i] ?? '';
      if (/^\s*#/.test(next)) continue;
      line = `${line.replace(/\s*\\\s*$/, '')} ${next.trim()}`;
    }
    const match = line.trim().match(/^(\w+)\s+([\s\S]*)$/);
    if (!match) throw new Error(`line ${start + 1}: not an instruction: ${line}`);
    instructions.push({
      keyword: (match[1] ?? '').toUpperCase(),
      args: (match[2] ?? '').trim(),
      line: start + 1,
    });
  }
  const preamble: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = ins.args.match(/^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i);
      if (!m) throw new Error(`line ${ins.line}: bad FROM`);
      stages.push({ from: m[1] ?? '', name: m[2], instructions: [] });
    } else if (stages.length === 0) {
      preamble.push(ins);
    } else {
      stages[stages.length - 1]?.instructions.push(ins);
    }
  }
  return { preamble, stages };
}

/** `KEY=value KEY2=value` (ENV/ARG) -> keys. */
export function declaredKeys(ins: Instruction): string[] {
  if (ins.keyword !== 'ENV' && ins.keyword !== 'ARG') return [];
  if (!ins.args.includes('=')) return [ins.args.split(/\s+/)[0] ?? ''];
  return [...ins.args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1] ?? '');
}
