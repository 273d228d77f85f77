import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../electron/cli/progress.ts';

function fakeStream(isTTY: boolean, columns: number) {
  const writes: string[] = [];
  const stream = { isTTY, columns, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('ProgressBar', () => {
  it('draws done/total on a terminal, even one that reports no width', () => {
    const { stream, writes } = fakeStream(true, 0);
    const bar = new ProgressBar(4, stream);
    bar.update(2, 'b.wav');
    bar.clear();
    expect(writes[0]).toMatch(/^\r\[#{15}-{15}\] 2\/4 ETA \d+s b\.wav/);
    expect(writes[1]).toMatch(/^\r +\r$/);
  });

  it('writes nothing when stderr is not a terminal', () => {
    const { stream, writes } = fakeStream(false, 80);
    const bar = new ProgressBar(4, stream);
    bar.update(1);
    bar.clear();
    expect(writes).toHaveLength(0);
  });
});
