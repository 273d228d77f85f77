/**
 * Which view fills the window. Every view stays mounted once visited (hidden when another is shown), so a
 * half-filled form, a chart or a live capture is still there when the user comes back.
 */
export const VIEWS = [
  { id: 'library', title: 'Library', hint: 'Listen, annotate and classify recordings' },
  { id: 'datasets', title: 'Data sets', hint: 'Inspect a folder or a session as training data' },
  { id: 'train', title: 'Train', hint: 'Train or fine-tune a model' },
  { id: 'evaluate', title: 'Evaluate', hint: 'Measure a model on a data set' },
  { id: 'models', title: 'Models', hint: 'Choose, rename, import and export models' },
  { id: 'live', title: 'Live', hint: 'Classify the microphone as you speak' },
  { id: 'agreement', title: 'Agreement', hint: 'Compare annotators: kappa, alpha and where they disagree' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

const VIEW_KEY = 'ser.view';

class Navigation {
  view = $state<ViewId>(VIEWS.some((v) => v.id === localStorage.getItem(VIEW_KEY)) ? (localStorage.getItem(VIEW_KEY) as ViewId) : 'library');
  /** Views shown at least once: mounted from then on. */
  visited = $state<ViewId[]>([this.view]);

  go(view: ViewId): void {
    this.view = view;
    if (!this.visited.includes(view)) this.visited.push(view);
    localStorage.setItem(VIEW_KEY, view);
  }
}

export const navigation = new Navigation();
