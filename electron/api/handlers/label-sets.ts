import { createLabelSet, listLabelSets, type LabelSet } from '../../store/index.ts';
import type { ApiHandlers, LabelSetInfo } from '../contract.ts';
import type { ServiceContext } from '../context.ts';

export function toLabelSetInfo(set: LabelSet): LabelSetInfo {
  return {
    id: set.id,
    name: set.name,
    kind: set.kind,
    classes: set.labels.map((name, i) => ({ name, colour: set.colours[i], key: set.keys[i] })),
    createdAt: set.createdAt,
  };
}

export function labelSetHandlers(c: ServiceContext): Pick<ApiHandlers, 'labelSets.list' | 'labelSets.create'> {
  return {
    'labelSets.list': () => listLabelSets(c.db).map(toLabelSetInfo),
    'labelSets.create': ({ name, kind, classes }) => {
      const set = createLabelSet(
        c.db,
        name,
        classes.map((k) => k.name),
        { kind, colours: classes.map((k) => k.colour), keys: classes.map((k) => k.key) },
      );
      c.events.emit({ type: 'library.changed' });
      return toLabelSetInfo(set);
    },
  };
}
