#!/usr/bin/env node
// Writes the synthetic fixtures in fixtures/. Deterministic: the same script
// always writes the same bytes (seeded random numbers, no clock).
//
// Every case is built compliant for its area, then given the shortfalls its
// planned grade needs. The grades themselves come from the rubric: the tests
// score these files and check the published figures, so a change to the
// rubric or to this script that moves a figure fails the build.
import { writeFileSync } from 'node:fs';

function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(20140601);
const pick = (list) => list[Math.floor(random() * list.length)];
const between = (low, high) => low + Math.floor(random() * (high - low + 1));
function shuffle(list) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const pad = (n) => String(n).padStart(2, '0');
const dayFirst = (d) => `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
const dayFirstTime = (d) => `${dayFirst(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
const iso = (d) => d.toISOString().slice(0, 10);
const addHours = (d, h) => new Date(d.getTime() + h * 3_600_000);
const addDays = (d, n) => addHours(d, n * 24);

function csv(columns, rows) {
  const cell = (v) => {
    const text = v === undefined || v === null ? '' : String(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns, ...rows.map((r) => columns.map((c) => r[c]))].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------
// fixtures/wmp-2014-06.csv: 115 cases, June 2014, for the default rubric.

const WMP_COLUMNS = [
  'Case Ref', 'Area', 'Team', 'Referral Received', 'Child Age', 'Call Downgraded', 'Welfare Check Done',
  'Social Care Threshold Met', 'Referred To Social Care', 'Strategy Discussion', 'Voice Of Child Recorded',
  'Supervisor Review', 'Closed On', 'Other Victims Considered', 'CSE Risk Assessment', 'Intel Submitted',
  'Intel Followed Up', 'Suspect Identified On', 'Suspect Arrested On', 'Disruption Considered', 'CSE Panel Referral',
  'Missing Risk Grade', 'CSE Concern', 'Missing Episodes 30 Days', 'Returned At', 'Safe And Well Check',
  'Return Interview At', 'Repeat Missing Strategy Meeting', 'Detained At', 'Appropriate Adult', 'Parent Informed',
  'Held Overnight After Charge', 'LA Transfer Requested', 'Impracticable Certificate', 'DASH Completed',
  'Officer Judgement Recorded', 'Dealt With By Appointment', 'Officer Notes',
];

const TEAMS = ['Birmingham North', 'Birmingham South', 'Black Country', 'Coventry', 'Solihull'];

// Planned grades per area: the inspection published 48 of 115 inadequate,
// 5 of 9 CSE and 9 of 11 missing from home. The rest of the split is ours.
const PLAN = {
  cse: { good: 1, ri: 3, inadequate: 5 },
  missing: { good: 0, ri: 2, inadequate: 9 },
  custody: { good: 7, ri: 4, inadequate: 9 },
  'domestic-abuse': { good: 11, ri: 12, inadequate: 12 },
  other: { good: 13, ri: 14, inadequate: 13 },
};

function baseline(area, referred) {
  const row = {
    referred,
    Area: area,
    Team: pick(TEAMS),
    'Referral Received': between(0, 1) ? dayFirstTime(referred) : referred.toISOString().slice(0, 16).replace('T', ' '),
    'Child Age': between(6, 16),
    'Call Downgraded': 'N',
    'Voice Of Child Recorded': 'Y',
    'Supervisor Review': 'Y',
    'Social Care Threshold Met': 'Y',
    'Referred To Social Care': 'Y',
    'Strategy Discussion': dayFirstTime(addHours(referred, between(2, 20))),
    'Officer Notes': 'Synthetic record for testing; no real person.',
  };
  if (area === 'cse' || area === 'other') {
    row['Closed On'] = dayFirst(addDays(referred, between(20, 60)));
    row['Other Victims Considered'] = 'Y';
  }
  if (area === 'cse') {
    Object.assign(row, {
      'Child Age': between(12, 16),
      'CSE Risk Assessment': 'Y',
      'Intel Submitted': 'Y',
      'Intel Followed Up': 'Y',
      'Suspect Identified On': iso(addDays(referred, 2)),
      'Suspect Arrested On': iso(addDays(referred, between(3, 10))),
      'Disruption Considered': 'Y',
      'CSE Panel Referral': 'Yes',
    });
  }
  if (area === 'missing') {
    const returned = addHours(referred, between(6, 40));
    Object.assign(row, {
      'Child Age': between(12, 16),
      'Missing Risk Grade': pick(['low', 'medium', 'high']),
      'CSE Concern': 'N',
      'Missing Episodes 30 Days': between(1, 2),
      'Returned At': dayFirstTime(returned),
      'Safe And Well Check': 'Y',
      'Return Interview At': dayFirstTime(addHours(returned, between(20, 60))),
      'Repeat Missing Strategy Meeting': 'N',
    });
  }
  if (area === 'custody') {
    Object.assign(row, {
      'Child Age': between(13, 16),
      'Social Care Threshold Met': 'N',
      'Referred To Social Care': 'N',
      'Strategy Discussion': '',
      'Detained At': dayFirstTime(referred),
      'Appropriate Adult': 'Y',
      'Parent Informed': 'Y',
      'Held Overnight After Charge': 'N',
    });
  }
  if (area === 'domestic-abuse') {
    Object.assign(row, { 'DASH Completed': 'Y', 'Dealt With By Appointment': 'N' });
  }
  return row;
}

// Shortfalls that make a case inadequate on their own, by area.
const INADEQUATE = {
  cse: [
    (r) => Object.assign(r, { 'Intel Followed Up': 'N' }),
    (r) => Object.assign(r, { 'Suspect Arrested On': '' }),
    (r) => Object.assign(r, { 'Intel Followed Up': 'N', 'Other Victims Considered': 'N' }),
    (r) => Object.assign(r, { 'CSE Risk Assessment': 'N' }),
    (r) => Object.assign(r, { 'Intel Followed Up': 'N', 'Suspect Arrested On': '' }),
  ],
  missing: [
    (r) => Object.assign(r, { 'Return Interview At': '' }),
    (r) => Object.assign(r, { 'Missing Risk Grade': '' }),
    (r) => Object.assign(r, { 'Missing Risk Grade': 'no-apparent-risk', 'CSE Concern': 'Y' }),
    (r) => Object.assign(r, { 'Missing Episodes 30 Days': between(3, 6) }),
    (r) => {
      const returned = r['Returned At'];
      const [date, time] = returned.split(' ');
      const [d, m, y] = date.split('/').map(Number);
      const [hh, mm] = time.split(':').map(Number);
      r['Return Interview At'] = dayFirstTime(addHours(new Date(Date.UTC(y, m - 1, d, hh, mm)), between(80, 120)));
    },
  ],
  custody: [
    (r) => Object.assign(r, { 'Held Overnight After Charge': 'Y', 'LA Transfer Requested': 'N', 'Impracticable Certificate': 'N' }),
    (r) => Object.assign(r, { 'Held Overnight After Charge': 'Y', 'LA Transfer Requested': 'N', 'Impracticable Certificate': '' }),
    (r) => Object.assign(r, { 'Appropriate Adult': 'N' }),
  ],
  'domestic-abuse': [
    (r) => Object.assign(r, { 'Referred To Social Care': 'N', 'Strategy Discussion': '' }),
    (r) => Object.assign(r, { 'Call Downgraded': 'Y', 'Welfare Check Done': 'N' }),
  ],
  other: [
    (r) => Object.assign(r, { 'Referred To Social Care': 'N', 'Strategy Discussion': '' }),
    (r) => Object.assign(r, { 'Other Victims Considered': 'N' }),
    (r) => Object.assign(r, { 'Call Downgraded': 'Y', 'Welfare Check Done': '' }),
  ],
};

// Shortfalls that require improvement, by area (any area also takes the general ones).
const GENERAL_RI = [
  (r) => Object.assign(r, { 'Voice Of Child Recorded': 'N' }),
  (r) => Object.assign(r, { 'Supervisor Review': '' }),
  (r) => Object.assign(r, { 'Strategy Discussion': dayFirstTime(addHours(r.referred, between(30, 70))) }),
];
const REQUIRES_IMPROVEMENT = {
  cse: [(r) => Object.assign(r, { 'Disruption Considered': 'N' }), (r) => Object.assign(r, { 'CSE Panel Referral': 'No' })],
  missing: [(r) => Object.assign(r, { 'Safe And Well Check': 'N' }), (r) => Object.assign(r, { 'CSE Concern': '' })],
  custody: [(r) => Object.assign(r, { 'Parent Informed': 'N' })],
  'domestic-abuse': [(r) => Object.assign(r, { 'DASH Completed': 'N', 'Officer Judgement Recorded': 'N' }), (r) => Object.assign(r, { 'Dealt With By Appointment': 'Y' })],
  other: [],
};

function applyDistinct(row, faults, count) {
  for (const fault of shuffle(faults).slice(0, count)) fault(row);
}

function wmpRows() {
  const plan = [];
  for (const [area, grades] of Object.entries(PLAN)) {
    for (const [grade, n] of Object.entries(grades)) for (let i = 0; i < n; i++) plan.push({ area, grade, index: i });
  }
  const rows = shuffle(plan).map(({ area, grade, index }) => {
    const referred = new Date(Date.UTC(2014, 5, between(1, 30), between(7, 21), pick([0, 15, 30, 45])));
    const row = baseline(area, referred);
    // The strategy-discussion shortfall only bites where a referral was made.
    const riFaults = [...REQUIRES_IMPROVEMENT[area], GENERAL_RI[0], GENERAL_RI[1], ...(row['Strategy Discussion'] ? [GENERAL_RI[2]] : [])];
    if (grade === 'ri') applyDistinct(row, riFaults, between(1, 2));
    if (grade === 'inadequate') {
      // Most inadequate cases have one limiting shortfall; every fourth reaches it through three lesser ones.
      if (index % 4 === 3 && area !== 'cse' && area !== 'missing') applyDistinct(row, riFaults, 3);
      else {
        INADEQUATE[area][index % INADEQUATE[area].length](row);
        if (random() < 0.4) applyDistinct(row, riFaults, 1);
      }
    }
    // Law in force on the day: in June 2014 a 17-year-old held overnight was not yet covered by s38(6).
    if (area === 'custody' && grade === 'good' && index === 0) {
      Object.assign(row, { 'Child Age': 17, 'Held Overnight After Charge': 'Y', 'LA Transfer Requested': 'N', 'Impracticable Certificate': 'N' });
    }
    return row;
  });
  rows.forEach((row, i) => (row['Case Ref'] = `WM-${String(i + 1).padStart(4, '0')}`));
  return rows;
}

writeFileSync(new URL('../fixtures/wmp-2014-06.csv', import.meta.url), csv(WMP_COLUMNS, wmpRows()));
