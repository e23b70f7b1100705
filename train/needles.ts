// The needles dataset: a few tight clusters of rare classes in a haystack of easy background points, with hard ones around each cluster.
import { rng as makeRng } from '../engine/index.js';
import { checkOptions } from '../engine/checks.js';
import { describeValue } from '../engine/format.js';
import { type Split, checkCommonOptions, countsFromRatios, sampleAndSplit } from './data.js';

/** Options of needles. */
export interface NeedlesOptions {
  /** Total number of samples over both splits. */
  n?: number;
  /** Relative class sizes: the background (class 0) first, then one per needle class. */
  ratios?: readonly number[];
  /** The share of the background drawn as hard negatives, in a ring around the needles, in [0, 1]. */
  hardFraction?: number;
  testFraction?: number;
  seed?: number;
}

/** The defaults of needles: 20,000 background points and 200 needle points (1 : 100), 5% of the background hard. */
export const NEEDLES_DEFAULTS = Object.freeze({ n: 20_200, ratios: Object.freeze([100, 1]) as readonly number[], hardFraction: 0.05 });

// Each needle class sits in this many tight clusters; all clusters lie on one circle around the origin.
const CLUSTERS_PER_CLASS = 3;
// Neighbouring clusters this far apart (for one needle class: three clusters on a circle of radius 1.5).
const CLUSTER_DISTANCE = 2.6;
// A needle point lies this far from its cluster's centre (standard deviation along each axis).
const NEEDLE_SPREAD = 0.2;
// A hard negative lies on a ring around a cluster: radius 0.5 ± 0.1, so its inner edge meets the needle's
// tail (a needle point is past radius 0.4 with probability e⁻² ≈ 13.5%).
const RING_RADIUS = 0.5;
const RING_WIDTH = 0.1;
// An easy negative is drawn from a broad Gaussian over the plane and redrawn while it falls within this
// distance of a cluster's centre: it is never near a needle, so the model classifies it right almost at once.
const EASY_CLEARANCE = 1;

/**
 * The regime focal loss was made for (Lin et al. 2017, dense detection): extreme imbalance, 1 : 100 by
 * default, where most of the majority class is easy. Class 0 is the background ("haystack"); each other
 * class ("needle") is 3 tight Gaussian clusters (σ 0.2) on a circle around the origin. Of the background,
 * `hardFraction` lies on rings around the clusters (radius 0.5 ± 0.1: the hard negatives, overlapping the
 * needles' tails), the rest is a broad Gaussian over the plane kept at least 1 away from every cluster (the
 * mass of easy negatives, whose summed cross-entropy can outweigh the few needles). 2-D, seeded, split
 * stratified into train and test with rows shuffled, like imbalancedBlobs.
 * @example const { train, test } = needles({ seed: 1 }); // 20,000 background and 200 needle points
 */
export function needles(options?: NeedlesOptions | null): Split {
  const fn = 'needles';
  const keys = ['n', 'ratios', 'hardFraction', 'testFraction', 'seed'] as const;
  const {
    n = NEEDLES_DEFAULTS.n,
    ratios = NEEDLES_DEFAULTS.ratios,
    hardFraction = NEEDLES_DEFAULTS.hardFraction,
    testFraction = 0.3,
    seed = 0,
  } = checkOptions<NeedlesOptions>(fn, options, keys);
  checkCommonOptions(fn, n, ratios, testFraction, seed);
  if (!Number.isFinite(hardFraction) || hardFraction < 0 || hardFraction > 1) {
    throw new Error(`${fn}: hardFraction must be a number in [0, 1], got ${describeValue(hardFraction)}`);
  }
  const counts = countsFromRatios(fn, n, ratios);
  const centers = clusterCenters(ratios.length - 1);
  const radius = Math.hypot(...centers[0]);
  const split = sampleAndSplit(counts, testFraction, makeRng(seed), (classIndex, random) => {
    if (classIndex > 0) {
      // Cluster k of the whole circle belongs to needle class 1 + (k mod needle classes): the classes interleave.
      const [cx, cy] = centers[classIndex - 1 + (ratios.length - 1) * random.int(CLUSTERS_PER_CLASS)];
      return [cx + NEEDLE_SPREAD * random.normal(), cy + NEEDLE_SPREAD * random.normal()];
    }
    if (random.next() < hardFraction) {
      const [cx, cy] = centers[random.int(centers.length)];
      const r = RING_RADIUS + RING_WIDTH * random.normal();
      const angle = 2 * Math.PI * random.next();
      return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
    }
    // NOTE: the clearance discs cover a small part of the Gaussian's mass (about 40% for one needle
    // class, less for more), so this loop ends after a few draws.
    for (;;) {
      const x = radius * random.normal();
      const y = radius * random.normal();
      if (centers.every(([cx, cy]) => Math.hypot(x - cx, y - cy) >= EASY_CLEARANCE)) return [x, y];
    }
  });
  const classNames = ratios.map((_, c) => (c === 0 ? 'background' : ratios.length === 2 ? 'needle' : `needle ${c}`));
  return { train: { ...split.train, classNames }, test: { ...split.test, classNames } };
}

/**
 * The centres of the needle clusters: 3 per needle class, evenly spaced on a circle around the origin (the
 * first at the top), neighbours 2.6 apart; cluster k belongs to needle class 1 + (k mod needleClasses).
 */
export function clusterCenters(needleClasses: number): (readonly [number, number])[] {
  const count = CLUSTERS_PER_CLASS * needleClasses;
  const radius = CLUSTER_DISTANCE / 2 / Math.sin(Math.PI / count);
  return Array.from({ length: count }, (_, k) => {
    const angle = Math.PI / 2 + (2 * Math.PI * k) / count;
    return [radius * Math.cos(angle), radius * Math.sin(angle)] as const;
  });
}
