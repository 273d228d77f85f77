import { describe, expect, it } from 'vitest';
import { formatOfFile } from '../../electron/shared/annotation-formats.ts';

describe('formatOfFile', () => {
  it('reads the format from the extension in any case, on POSIX and Windows paths alike', () => {
    expect(formatOfFile('/data/interview.TextGrid')).toBe('textgrid');
    expect(formatOfFile('C:\\corpus\\take 2.textgrid')).toBe('textgrid');
    expect(formatOfFile('labels.TXT')).toBe('audacity');
    expect(formatOfFile('/a.b/session.eaf')).toBe('eaf');
    expect(formatOfFile('export.json')).toBe('labelstudio');
  });

  it('has no format for other extensions, none at all, or a dot in a folder name only', () => {
    expect(formatOfFile('/data/labels.csv')).toBeUndefined();
    expect(formatOfFile('/data/TextGrid')).toBeUndefined();
    expect(formatOfFile('/data.eaf/notes')).toBeUndefined();
    expect(formatOfFile('/data/.txt')).toBeUndefined();
  });
});
