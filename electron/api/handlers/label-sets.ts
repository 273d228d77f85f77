import { createLabelSet, DEFAULT_LABEL_SET, deleteLabelSet, listLabelSets, updateLabelSet, type LabelSet } from '../../store/index.ts';
import type { ApiHandlers, LabelSetInfo } from '../transport/contract.ts';
import type { ServiceContext } from '../context.ts';

export function toLabelSetInfo(set: LabelSet): LabelSetInfo {
  return {
    id: set.id,
    name: set.name,
    kind: set.kind,
    classes: set.labels.map((name, i) => ({ name, colour: set.colours[i], key: set.keys[i] })),
    builtIn: set.name === DEFAULT_LABEL_SET,
    createdAt: set.createdAt,
  };
}

type Classes = readonly { name: string; colour?: string; key?: string }[];

/** The store's per-class columns from the API's classes. */
const storeClasses = (kind: LabelSet['kind'], classes: Classes) => ({
  labels: classes.map((k) => k.name),
  options: { kind, colours: classes.map((k) => k.colour), keys: classes.map((k) => k.key) },
});

export function labelSetHandlers(c: ServiceContext): Pick<ApiHandlers, 'labelSets.list' | 'labelSets.create' | 'labelSets.update' | 'labelSets.delete'> {
  // Sessions carry their set: a change is the library's, so the renderer reloads them.
  const changed = () => c.events.emit({ type: 'library.changed' });
  return {
    'labelSets.list': () => listLabelSets(c.db).map(toLabelSetInfo),
    'labelSets.create': ({ name, kind, classes }) => {
      const { labels, options } = storeClasses(kind, classes);
      const set = createLabelSet(c.db, name, labels, options);
      changed();
      return toLabelSetInfo(set);
    },
    'labelSets.update': ({ id, name, kind, classes }) => {
      const { labels, options } = storeClasses(kind, classes);
      const set = updateLabelSet(c.db, id, name, labels, options);
      changed();
      return toLabelSetInfo(set);
    },
    'labelSets.delete': ({ id }) => {
      deleteLabelSet(c.db, id);
      changed();
    },
  };
}
