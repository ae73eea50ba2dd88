import type { LevelInfo } from '../../../src/core/levels';
import type { DigestChange, DigestProject, DigestSnapshot } from '../../../src/core/digest';

/** MLTRL's levels as in MLTRL.md (the default flow's table). */
export const MLTRL_LEVELS: LevelInfo[] = [
  { level: 0, name: 'First principles', phase: 'research' },
  { level: 1, name: 'Goal-oriented research', phase: 'research' },
  { level: 2, name: 'Proof of principle (PoP) development', phase: 'research' },
  { level: 3, name: 'System development', phase: 'prototyping' },
  { level: 4, name: 'Proof of concept (PoC) development', phase: 'prototyping' },
  { level: 5, name: 'Machine learning "capability"', phase: 'prototyping' },
  { level: 6, name: 'Application development', phase: 'productization' },
  { level: 7, name: 'Integrations', phase: 'productization' },
  { level: 8, name: 'Flight-ready', phase: 'productization' },
  { level: 9, name: 'Deployment', phase: 'deployment' },
];

const NOW = Date.parse('2026-11-30T08:00:00Z'); // Monday 09:00 Europe/Berlin
const DAY = 86_400_000;
const WORDS = ['Retina', 'Solar', 'Fraud', 'Speech', 'Churn', 'Crop', 'Grid', 'Triage', 'Route', 'Demand'];
const KINDS = ['lesion detector', 'array optimiser', 'scorer', 'recogniser', 'forecaster', 'classifier'];
const PEOPLE = ['<@U0ANA>', '<@U0SAM>', '<@U0PRIYA>', '<@U0LI>', '@yarin', 'Lee Chen'];
const SECTIONS = [
  'Testing status',
  'Intended use',
  'Code repo & docs',
  'Data considerations',
  'Ethics checks?',
];

/** A small deterministic pseudo-random sequence, so golden files never change between runs. */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export interface GenerateOptions {
  projects: number;
  openReviews?: number;
  changes?: number;
  seed?: number;
}

/**
 * A plausible portfolio: levels skewed to 3-4 (where most industrial projects enter), about a tenth of the
 * projects with an open review (or `openReviews`), some stale, a few recorded levels that disagree.
 */
export function generateSnapshot(options: GenerateOptions): DigestSnapshot {
  const random = sequence(options.seed ?? 42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const openReviews = options.openReviews ?? Math.ceil(options.projects / 10);
  const projects: DigestProject[] = [];
  for (let i = 0; i < options.projects; i++) {
    const level = Math.min(9, Math.max(0, Math.round(3.5 + (random() + random() + random() - 1.5) * 3)));
    const project: DigestProject = {
      projectId: `P${String(i + 1).padStart(4, '0')}.${(i % 3) + 1}`,
      name: `${pick(WORDS)} ${pick(KINDS)}`,
      statedLevel: level,
      owners: [pick(PEOPLE), ...(random() < 0.4 ? [pick(PEOPLE)] : [])],
      lastActivityAt: new Date(NOW - Math.floor(random() * 90) * DAY).toISOString(),
    };
    if (i % 17 === 5) project.recordedLevel = Math.max(0, level - 1);
    else if (i % 3 === 0) project.recordedLevel = level;
    if (i < openReviews && level < 9) {
      const opened = NOW - Math.floor(1 + random() * 20) * DAY - Math.floor(random() * DAY);
      const voting = random() < 0.5;
      // The draws keep their order (waiting on, then gaps), so every seed makes the snapshot it always did.
      const waitingOn = voting ? [pick(PEOPLE)] : project.owners;
      const gaps = voting
        ? []
        : SECTIONS.slice(0, 1 + Math.floor(random() * 3)).map((label) => ({
            label,
            since: new Date(opened).toISOString(),
          }));
      project.openReview = {
        gate: { from: level, to: level + 1 },
        phase: voting ? 'voting' : 'gaps',
        openedAt: new Date(opened).toISOString(),
        waitingOn,
        waitingSince: new Date(voting ? opened + 2 * DAY : opened).toISOString(),
      };
      if (gaps.length) project.gaps = gaps;
      project.lastActivityAt = new Date(opened).toISOString();
    }
    projects.push(project);
  }
  const changes: DigestChange[] = [];
  const changeCount = options.changes ?? Math.min(options.projects, Math.ceil(options.projects / 8));
  for (let i = 0; i < changeCount; i++) {
    const project = projects[Math.floor(random() * projects.length)];
    const kind = (['advanced', 'switchback', 'review-opened', 'review-closed'] as const)[i % 4];
    const from = project.statedLevel;
    const to = kind === 'switchback' ? Math.max(0, from - 1) : Math.min(9, from + 1);
    changes.push({
      kind,
      projectId: project.projectId,
      name: project.name,
      at: new Date(NOW - Math.floor(random() * 7 * DAY)).toISOString(),
      from,
      to,
      ...(kind === 'review-closed' ? { outcome: 'changes-requested' } : {}),
    });
  }
  return {
    now: new Date(NOW).toISOString(),
    tz: 'Europe/Berlin',
    holidays: ['2026-12-25'],
    levels: MLTRL_LEVELS,
    settings: { gapAgeBusinessDays: 5, staleWeeks: 6, listCap: 5 },
    projects,
    changes,
    brokenCards: options.projects >= 60 ? 2 : 0,
    historyAvailable: true,
  };
}
