/**
 * Agreement between raters who each put units into nominal categories: Cohen's kappa (Cohen 1960,
 * two raters), Fleiss' kappa (Fleiss 1971, any fixed number of raters) and Krippendorff's alpha
 * (Krippendorff 2011, nominal metric; any number of raters, missing ratings allowed). A unit is
 * whatever is rated: in SER Studio a 10 ms frame of a recording.
 *
 * The statistics are sums over units, so a tally adds units one at a time and keeps only those
 * sums: a session of hours of audio costs a few numbers per category, and the pooled figures of
 * a session set are a tally fed every recording's frames.
 */

/** A rater who gave the unit no rating (the recording is not in their session). */
export const MISSING = -1;

export interface CohenAgreement {
  /** Null where it is undefined: both raters used one and the same category throughout. */
  kappa: number | null;
  /** confusion[a][b]: units the first rater put in category a and the second in category b. */
  confusion: number[][];
}

export interface AgreementFigures {
  raters: number;
  /** Units every rater rated: the units of the kappas and of the observed agreement. */
  units: number;
  /** Units with at least two ratings: the units of Krippendorff's alpha. */
  pairableUnits: number;
  /**
   * Over the units every rater rated, the mean share of rater pairs that agree (Fleiss' P-bar);
   * for two raters, the share of units where they agree. Null with no such unit.
   */
  observedAgreement: number | null;
  /** Only for two raters. */
  cohen?: CohenAgreement;
  /** Null where undefined (no complete unit, or every rating in one category). */
  fleissKappa: number | null;
  /** Null where undefined (no pairable unit, or every pairable rating in one category). */
  krippendorffAlpha: number | null;
}

/** kappa = (observed - expected) / (1 - expected), undefined where chance agreement is already perfect. */
const chanceCorrected = (observed: number, expected: number): number | null => (expected === 1 ? null : (observed - expected) / (1 - expected));

export class AgreementTally {
  /** Ratings per category in the unit being added (reused, so adding a unit allocates nothing). */
  private readonly unitCounts: Float64Array;
  private completeUnits = 0;
  /** Sum over complete units of sum_c n_uc (n_uc - 1): agreeing ordered rater pairs, kept whole so pooled sums stay exact. */
  private agreeingPairs = 0;
  /** Ratings per category over complete units (Fleiss' p_j, times units x raters). */
  private readonly completeTotals: Float64Array;
  private readonly confusion: number[][] | undefined;
  private pairableUnits = 0;
  /** Krippendorff's n: the pairable values. */
  private pairableValues = 0;
  /** Krippendorff's n_c: pairable values per category. */
  private readonly pairableTotals: Float64Array;
  /** Sum of the coincidence matrix's diagonal, sum_c o_cc. */
  private coincidentSame = 0;

  constructor(
    readonly categories: number,
    readonly raters: number,
  ) {
    if (raters < 2) throw new RangeError(`agreement needs at least two raters, got ${raters}`);
    this.unitCounts = new Float64Array(categories);
    this.completeTotals = new Float64Array(categories);
    this.pairableTotals = new Float64Array(categories);
    this.confusion = raters === 2 ? Array.from({ length: categories }, () => new Array<number>(categories).fill(0)) : undefined;
  }

  /** Adds one unit: ratings[r] is rater r's category index, or MISSING. */
  add(ratings: ArrayLike<number>): void {
    const counts = this.unitCounts;
    counts.fill(0);
    let m = 0;
    for (let r = 0; r < this.raters; r++) {
      const c = ratings[r];
      if (c === MISSING) continue;
      counts[c]++;
      m++;
    }
    // A lone rating pairs with nothing: it says nothing about agreement (Krippendorff's unpairable values).
    if (m < 2) return;
    let same = 0;
    for (let c = 0; c < this.categories; c++) {
      const n = counts[c];
      if (n === 0) continue;
      same += n * (n - 1);
      this.pairableTotals[c] += n;
    }
    this.pairableUnits++;
    this.pairableValues += m;
    this.coincidentSame += same / (m - 1);
    if (m < this.raters) return;
    this.completeUnits++;
    this.agreeingPairs += same;
    for (let c = 0; c < this.categories; c++) this.completeTotals[c] += counts[c];
    if (this.confusion) this.confusion[ratings[0]][ratings[1]]++;
  }

  figures(): AgreementFigures {
    const figures: AgreementFigures = {
      raters: this.raters,
      units: this.completeUnits,
      pairableUnits: this.pairableUnits,
      observedAgreement: null,
      fleissKappa: null,
      krippendorffAlpha: this.alpha(),
    };
    if (this.completeUnits > 0) {
      const n = this.raters;
      const observed = this.agreeingPairs / (this.completeUnits * n * (n - 1));
      let expected = 0;
      for (const total of this.completeTotals) expected += (total / (this.completeUnits * n)) ** 2;
      figures.observedAgreement = observed;
      figures.fleissKappa = chanceCorrected(observed, expected);
    }
    if (this.confusion) figures.cohen = { kappa: this.completeUnits > 0 ? this.cohenKappa(this.confusion) : null, confusion: this.confusion.map((row) => [...row]) };
    return figures;
  }

  /** Cohen: expected agreement from each rater's own marginals, sum_k (row_k / N)(column_k / N). */
  private cohenKappa(confusion: number[][]): number | null {
    const total = this.completeUnits;
    let observed = 0;
    let expected = 0;
    for (let k = 0; k < this.categories; k++) {
      observed += confusion[k][k];
      let row = 0;
      let column = 0;
      for (let j = 0; j < this.categories; j++) {
        row += confusion[k][j];
        column += confusion[j][k];
      }
      expected += row * column;
    }
    return chanceCorrected(observed / total, expected / (total * total));
  }

  /** alpha = 1 - D_o / D_e = 1 - (n - 1)(n - sum_c o_cc) / (n^2 - sum_c n_c^2), Krippendorff (2011) for the nominal metric. */
  private alpha(): number | null {
    const n = this.pairableValues;
    let squares = 0;
    for (const total of this.pairableTotals) squares += total * total;
    const expectedDisagreement = n * n - squares;
    if (n === 0 || expectedDisagreement === 0) return null;
    return 1 - ((n - 1) * (n - this.coincidentSame)) / expectedDisagreement;
  }
}

/** The kappa a report leads with: Cohen's for two raters, Fleiss' for more. */
export function headlineKappa(figures: AgreementFigures): { kind: 'cohen' | 'fleiss'; value: number | null } {
  return figures.cohen ? { kind: 'cohen', value: figures.cohen.kappa } : { kind: 'fleiss', value: figures.fleissKappa };
}
