import { createInterface } from 'node:readline';

/**
 * Answers to the questions `login` asks, one line each: from the terminal (the password without
 * echo), or from piped standard input in order (password first, then each code), for scripts.
 */
export class Prompter {
  private lines: AsyncIterator<string> | undefined;

  async ask(question: string, opts: { secret?: boolean } = {}): Promise<string> {
    if (!process.stdin.isTTY) {
      this.lines ??= createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]();
      const next = await this.lines.next();
      if (next.done) throw new Error(`standard input ended before: ${question.trim()}`);
      return next.value.trim();
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (opts.secret) {
      // Echo the question, not the keystrokes.
      const out = rl as unknown as { _writeToOutput(s: string): void; output: NodeJS.WritableStream };
      out._writeToOutput = (s: string) => {
        if (s.startsWith(question)) out.output.write(question);
      };
    }
    try {
      return await new Promise<string>((resolve) => rl.question(question, resolve));
    } finally {
      if (opts.secret) process.stderr.write('\n');
      rl.close();
    }
  }
}
