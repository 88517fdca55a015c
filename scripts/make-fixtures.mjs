#!/usr/bin/env node
// Writes the synthetic fixtures in fixtures/. Deterministic: the same script
// always writes the same bytes (seeded random numbers, no clock).
//
// Every case is built compliant for its area, then given the shortfalls its
// planned grade needs. The grades themselves come from the rubric: the tests
// score these files and check the published figures, so a change to the
// rubric or to this script that moves a figure fails the build.
import { writeFileSync } from 'node:fs';
import { seeded } from './seeded.mjs';

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

// ---------------------------------------------------------------------------
// Helpers for the smaller fixtures below. Each fixture has its own seeded
// generator, so adding or changing one never moves the bytes of another.

function randomTools(seed) {
  const rnd = seeded(seed);
  const between = (low, high) => low + Math.floor(rnd() * (high - low + 1));
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  return { rnd, between, pick };
}

const addMinutes = (d, m) => new Date(d.getTime() + m * 60_000);
const isoTime = (d) => d.toISOString().slice(0, 16).replace('T', ' ');
const isoTimeT = (d) => d.toISOString().slice(0, 16);
// Exports mix date styles: day first, ISO with a space, ISO with a T.
const DATE_TIME_STYLES = [dayFirstTime, isoTime, isoTimeT];
const NOTES = 'Synthetic record for testing; no real person.';

/** A random day and time between two calendar dates (inclusive), as a UTC wall-clock time. */
function dayBetween(tools, from, to, firstHour, lastHour) {
  const start = Date.UTC(...from);
  const days = Math.round((Date.UTC(...to) - start) / 86_400_000);
  const day = new Date(start + tools.between(0, days) * 86_400_000);
  return addMinutes(day, tools.between(firstHour, lastHour) * 60 + tools.pick([0, 5, 15, 20, 30, 40, 45, 50]));
}

// ---------------------------------------------------------------------------
// fixtures/custody-2015-16.csv: 40 custody records of children, June 2015 to
// June 2016, for rubrics/custody.yaml. The period spans 26 October 2015, when
// 17-year-olds came under PACE s38(6): a 17-year-old held overnight after
// charge without a transfer request or certificate is outside the rule before
// that day and inadequate from it.
//
// Every record is built compliant, then given exactly the faults listed in
// its plan entry; the grade in the comment is what the rubric must give.

const CUSTODY_COLUMNS = [
  'Custody Record No', 'Custody Suite', 'Detention Authorised At', 'Age At Arrest', 'Detention Outcome',
  'Risk Assessment Completed', 'Appropriate Adult Attended', 'Parent/Carer Informed', 'First Review At',
  'Second Review At', 'Grounds For Refusing Bail Recorded', 'Held Overnight After Charge',
  'LA Accommodation Requested', 'Impracticable Certificate', 'Left Custody At', 'Officer Notes',
];
const CUSTODY_SUITES = ['Northgate Suite', 'Riverside Suite', 'Eastfield Suite', 'Westbrook Suite'];

// period: 'pre' (1 June to 24 October 2015), 'post' (27 October 2015 to 29 June 2016),
// or an exact [y, m, d, hh, mm] (month 1-12). duration: 'short' (under 6 hours, no
// review due), 'medium' (8 to 14 hours: first review due), 'long' (17 to 22 hours:
// both reviews due); charged-refused-bail records are all held overnight after charge.
const CUSTODY_PLAN = [
  // Charged and refused bail (14): 6 good, 3 requires improvement, 5 inadequate.
  { area: 'charged-refused-bail', age: 15, period: 'pre', faults: [] }, // good
  { area: 'charged-refused-bail', age: 14, period: 'post', faults: ['certificate'] }, // good: certificate instead of transfer
  { area: 'charged-refused-bail', age: 17, period: 'pre', faults: ['no-transfer'] }, // good: s38(6) not yet for 17s
  // The day before the change. The rule follows the detention date; this detention starts late
  // morning so that the charge and the decision to refuse bail fall on 25 October too.
  { area: 'charged-refused-bail', age: 17, period: [2015, 10, 25, 11, 30], faults: ['no-transfer'] }, // good
  { area: 'charged-refused-bail', age: 17, period: 'post', faults: [] }, // good: transfer requested
  { area: 'charged-refused-bail', age: 17, period: [2015, 10, 26, 9, 15], faults: ['no-transfer'] }, // inadequate: the first day
  { area: 'charged-refused-bail', age: 17, period: 'post', faults: ['no-transfer-certificate-blank'] }, // inadequate
  { area: 'charged-refused-bail', age: 15, period: 'pre', faults: ['no-transfer'] }, // inadequate
  { area: 'charged-refused-bail', age: 16, period: 'post', faults: ['no-transfer', 'parent-no'] }, // inadequate
  { area: 'charged-refused-bail', age: 17, period: 'pre', faults: ['no-transfer', 'grounds-no'] }, // requires improvement
  { area: 'charged-refused-bail', age: 13, period: 'post', faults: ['review-late'] }, // requires improvement
  { area: 'charged-refused-bail', age: 16, period: 'pre', faults: ['risk-no', 'grounds-no'] }, // requires improvement
  { area: 'charged-refused-bail', age: 15, period: 'post', faults: ['aa-no'] }, // inadequate
  { area: 'charged-refused-bail', age: null, period: 'post', faults: ['age-blank'] }, // good: age rules not assessed
  // Charged and bailed (10): 5 good, 3 requires improvement, 2 inadequate.
  { area: 'charged-bailed', period: 'pre', faults: [] }, // good
  { area: 'charged-bailed', age: 17, period: 'pre', faults: [] }, // good
  { area: 'charged-bailed', age: 17, period: 'post', faults: [] }, // good
  { area: 'charged-bailed', period: 'post', duration: 'long', faults: [] }, // good: both reviews on time
  { area: 'charged-bailed', period: 'pre', faults: ['parent-no'] }, // requires improvement
  { area: 'charged-bailed', period: 'post', duration: 'medium', faults: ['review-blank'] }, // requires improvement
  { area: 'charged-bailed', period: 'post', duration: 'medium', faults: ['risk-no', 'parent-no', 'review-late'] }, // inadequate: 3 shortfalls
  { area: 'charged-bailed', period: 'pre', faults: ['aa-blank'] }, // inadequate
  { area: 'charged-bailed', period: 'post', duration: 'medium', faults: ['left-blank'] }, // good: reviews not assessed
  { area: 'charged-bailed', period: 'pre', duration: 'long', faults: ['second-late'] }, // requires improvement
  // Out-of-court disposal (6): 3 good, 2 requires improvement, 1 inadequate.
  { area: 'out-of-court', period: 'pre', faults: [] }, // good
  { area: 'out-of-court', period: 'post', faults: [] }, // good
  { area: 'out-of-court', age: 17, period: 'post', faults: [] }, // good
  { area: 'out-of-court', period: 'pre', faults: ['risk-blank'] }, // requires improvement
  { area: 'out-of-court', age: 17, period: 'post', faults: ['aa-no'] }, // inadequate
  { area: 'out-of-court', period: 'post', faults: ['parent-blank'] }, // requires improvement
  // Released without charge (10): 5 good, 3 requires improvement, 2 inadequate.
  { area: 'released', period: 'pre', faults: [] }, // good
  { area: 'released', period: 'post', faults: [] }, // good
  { area: 'released', period: 'post', faults: [] }, // good
  { area: 'released', age: 12, period: 'pre', faults: [] }, // good
  { area: 'released', period: 'post', faults: ['parent-no'] }, // requires improvement
  { area: 'released', period: 'pre', duration: 'medium', faults: ['review-late', 'risk-no'] }, // requires improvement
  { area: 'released', age: 14, period: 'post', faults: ['aa-no'] }, // inadequate
  { area: 'released', period: 'post', duration: 'long', faults: ['parent-no', 'risk-no', 'second-blank'] }, // inadequate: 3 shortfalls
  { area: 'released', age: 17, period: 'pre', faults: [] }, // good
  { area: 'released', age: 17, period: 'pre', faults: ['parent-no'] }, // requires improvement
];

const CUSTODY_FAULTS = {
  'aa-no': (r) => (r['Appropriate Adult Attended'] = 'N'),
  'aa-blank': (r) => (r['Appropriate Adult Attended'] = ''),
  'parent-no': (r) => (r['Parent/Carer Informed'] = 'N'),
  'parent-blank': (r) => (r['Parent/Carer Informed'] = ''),
  'risk-no': (r) => (r['Risk Assessment Completed'] = 'N'),
  'risk-blank': (r) => (r['Risk Assessment Completed'] = ''),
  'grounds-no': (r) => (r['Grounds For Refusing Bail Recorded'] = 'N'),
  'age-blank': (r) => (r['Age At Arrest'] = ''),
  'left-blank': (r) => (r['Left Custody At'] = ''),
  'review-blank': (r) => (r['First Review At'] = ''),
  'second-blank': (r) => (r['Second Review At'] = ''),
  certificate: (r) => Object.assign(r, { 'LA Accommodation Requested': 'N', 'Impracticable Certificate': 'Y' }),
  'no-transfer': (r) => Object.assign(r, { 'LA Accommodation Requested': 'N', 'Impracticable Certificate': 'N' }),
  'no-transfer-certificate-blank': (r) => Object.assign(r, { 'LA Accommodation Requested': 'N', 'Impracticable Certificate': '' }),
};

function custodyRows() {
  const tools = randomTools(20151026);
  const { between, pick } = tools;
  const rows = CUSTODY_PLAN.map((plan) => {
    const overnight = plan.area === 'charged-refused-bail';
    const detained = Array.isArray(plan.period)
      ? new Date(Date.UTC(plan.period[0], plan.period[1] - 1, plan.period[2], plan.period[3], plan.period[4]))
      : plan.period === 'pre'
        ? dayBetween(tools, [2015, 5, 1], [2015, 9, 24], overnight ? 13 : 7, overnight ? 20 : 19)
        : dayBetween(tools, [2015, 9, 27], [2016, 5, 29], overnight ? 13 : 7, overnight ? 20 : 19);
    // Held overnight: taken to court the next morning. Otherwise a few hours, or longer where a review is wanted.
    const duration = plan.duration ?? (overnight ? 'overnight' : pick(['short', 'medium']));
    const left = duration === 'overnight'
      ? new Date(Date.UTC(detained.getUTCFullYear(), detained.getUTCMonth(), detained.getUTCDate() + 1, 9, pick([0, 15, 30, 45])))
      : addMinutes(detained, { short: between(120, 330), medium: between(480, 840), long: between(1020, 1320) }[duration]);
    const minutes = (left.getTime() - detained.getTime()) / 60_000;
    const firstReview = minutes > 360 ? addMinutes(detained, between(180, 330)) : null;
    const secondReview = minutes > 900 ? addMinutes(firstReview, between(360, 480)) : null;
    const style = pick(DATE_TIME_STYLES);
    const when = (d) => (d ? style(d) : '');
    const row = {
      detained,
      firstReview,
      style,
      'Custody Suite': pick(CUSTODY_SUITES),
      'Detention Authorised At': style(detained),
      'Age At Arrest': plan.age ?? between(12, 16),
      'Detention Outcome': plan.area,
      'Risk Assessment Completed': 'Y',
      'Appropriate Adult Attended': 'Y',
      'Parent/Carer Informed': pick(['Y', 'Yes']),
      'First Review At': when(firstReview),
      'Second Review At': when(secondReview),
      'Grounds For Refusing Bail Recorded': overnight ? 'Y' : '',
      'Held Overnight After Charge': overnight ? 'Y' : 'N',
      'LA Accommodation Requested': overnight ? 'Y' : '',
      'Impracticable Certificate': '',
      'Left Custody At': style(left),
      'Officer Notes': NOTES,
    };
    for (const fault of plan.faults) {
      if (fault === 'review-late') {
        // Between 6h20 and 7h40 after detention was authorised; the next review still within 9 hours of it.
        const late = addMinutes(detained, between(380, 460));
        row['First Review At'] = style(late);
        if (secondReview) row['Second Review At'] = style(addMinutes(late, between(300, 360)));
      } else if (fault === 'second-late') {
        row['Second Review At'] = style(addMinutes(firstReview, between(570, 630)));
      } else {
        CUSTODY_FAULTS[fault](row);
      }
    }
    return row;
  });
  // A custody export lists records in the order detention was authorised.
  rows.sort((a, b) => a.detained - b.detained);
  rows.forEach((row, i) => (row['Custody Record No'] = `CU-${String(i + 1).padStart(4, '0')}`));
  return rows;
}

writeFileSync(new URL('../fixtures/custody-2015-16.csv', import.meta.url), csv(CUSTODY_COLUMNS, custodyRows()));

// ---------------------------------------------------------------------------
// fixtures/missing-2014.csv: 30 reports of missing children in 2014, for
// rubrics/missing.yaml. Built the same way: compliant, then the listed faults.

const MISSING_COLUMNS = [
  'Missing Report Ref', 'Missing From', 'Team', 'Reported Missing At', 'Child Age', 'Risk Grade', 'Risk Grade Reviewed',
  'CSE Concern', 'Missing Episodes Last 30 Days', 'Returned At', 'Safe And Well Check', 'Return Home Interview At',
  'Strategy Meeting Held', 'Placing Authority Informed', 'Officer Notes',
];
const MISSING_TEAMS = ['Missing Persons North', 'Missing Persons South', 'Missing Persons Central'];

const MISSING_PLAN = [
  // Missing from home (18): 7 good, 4 requires improvement, 7 inadequate.
  { area: 'from-home', faults: [] }, // good
  { area: 'from-home', faults: ['episodes-blank'] }, // good: repeat rule not assessed
  { area: 'from-home', faults: ['no-apparent-risk'] }, // good: no risk factor present
  { area: 'from-home', faults: ['repeat-with-meeting'] }, // good
  { area: 'from-home', faults: ['not-returned'] }, // good: return criteria not applicable
  { area: 'from-home', faults: ['age-blank'] }, // good: graded low/medium/high, so age not needed
  { area: 'from-home', faults: ['safe-and-well-no'] }, // requires improvement
  { area: 'from-home', faults: ['cse-blank'] }, // requires improvement
  { area: 'from-home', faults: ['review-no', 'safe-and-well-no'] }, // requires improvement
  { area: 'from-home', faults: ['grade-blank'] }, // inadequate
  { area: 'from-home', faults: ['no-apparent-risk', 'cse-yes'] }, // inadequate
  { area: 'from-home', faults: ['no-apparent-risk', 'age-11'] }, // inadequate
  { area: 'from-home', faults: ['interview-late'] }, // inadequate
  { area: 'from-home', faults: ['interview-blank'] }, // inadequate
  { area: 'from-home', faults: ['repeat-no-meeting'] }, // inadequate
  { area: 'from-home', faults: ['safe-and-well-no', 'cse-blank', 'review-no'] }, // inadequate: 3 shortfalls
  { area: 'from-home', faults: [] }, // good
  { area: 'from-home', faults: ['review-no'] }, // requires improvement
  // Missing from care (12): 4 good, 3 requires improvement, 5 inadequate.
  { area: 'from-care', faults: [] }, // good
  { area: 'from-care', faults: [] }, // good
  { area: 'from-care', faults: ['repeat-with-meeting'] }, // good
  { area: 'from-care', faults: ['authority-no'] }, // requires improvement
  { area: 'from-care', faults: ['authority-no', 'safe-and-well-no'] }, // requires improvement
  { area: 'from-care', faults: ['no-apparent-risk', 'repeat-with-meeting-3'] }, // inadequate: 3 episodes
  { area: 'from-care', faults: ['no-apparent-risk', 'cse-blank'] }, // inadequate: CSE not ruled out
  { area: 'from-care', faults: ['repeat-no-meeting', 'cse-yes'] }, // inadequate
  { area: 'from-care', faults: ['authority-no', 'cse-blank', 'review-no'] }, // inadequate: 3 shortfalls
  { area: 'from-care', faults: ['interview-late'] }, // inadequate
  { area: 'from-care', faults: ['authority-blank'] }, // requires improvement
  { area: 'from-care', faults: ['high-with-cse'] }, // good: risk factors present and graded high
];

function missingRows() {
  const tools = randomTools(20140101);
  const { between, pick } = tools;
  const rows = MISSING_PLAN.map((plan) => {
    const reported = dayBetween(tools, [2014, 0, 1], [2014, 11, 31], 0, 23);
    const returned = addHours(reported, between(3, 40));
    const style = pick(DATE_TIME_STYLES);
    const row = {
      reported,
      'Missing From': plan.area,
      Team: pick(MISSING_TEAMS),
      'Reported Missing At': style(reported),
      'Child Age': between(12, 16),
      'Risk Grade': pick(['low', 'Low', 'medium', 'Medium', 'high', 'High']),
      'Risk Grade Reviewed': 'Y',
      'CSE Concern': 'N',
      'Missing Episodes Last 30 Days': between(1, 2),
      'Returned At': style(returned),
      'Safe And Well Check': 'Y',
      'Return Home Interview At': style(addHours(returned, between(20, 60))),
      'Strategy Meeting Held': 'N',
      'Placing Authority Informed': plan.area === 'from-care' ? 'Y' : '',
      'Officer Notes': NOTES,
    };
    const faults = {
      'episodes-blank': () => (row['Missing Episodes Last 30 Days'] = ''),
      'no-apparent-risk': () => (row['Risk Grade'] = 'no-apparent-risk'),
      'repeat-with-meeting': () => Object.assign(row, { 'Missing Episodes Last 30 Days': between(4, 6), 'Strategy Meeting Held': 'Y' }),
      'repeat-with-meeting-3': () => Object.assign(row, { 'Missing Episodes Last 30 Days': 3, 'Strategy Meeting Held': 'Y' }),
      'repeat-no-meeting': () => Object.assign(row, { 'Missing Episodes Last 30 Days': between(3, 6), 'Strategy Meeting Held': 'N' }),
      'not-returned': () => Object.assign(row, { 'Returned At': '', 'Safe And Well Check': '', 'Return Home Interview At': '' }),
      'age-blank': () => (row['Child Age'] = ''),
      'age-11': () => (row['Child Age'] = 11),
      'safe-and-well-no': () => (row['Safe And Well Check'] = 'N'),
      'cse-blank': () => (row['CSE Concern'] = ''),
      'cse-yes': () => (row['CSE Concern'] = 'Y'),
      'review-no': () => (row['Risk Grade Reviewed'] = 'N'),
      'grade-blank': () => (row['Risk Grade'] = ''),
      'interview-late': () => (row['Return Home Interview At'] = style(addHours(returned, between(80, 120)))),
      'interview-blank': () => (row['Return Home Interview At'] = ''),
      'authority-no': () => (row['Placing Authority Informed'] = 'N'),
      'authority-blank': () => (row['Placing Authority Informed'] = ''),
      'high-with-cse': () => Object.assign(row, { 'Risk Grade': 'high', 'CSE Concern': 'Y', 'Missing Episodes Last 30 Days': 2 }),
    };
    for (const fault of plan.faults) faults[fault]();
    return row;
  });
  rows.sort((a, b) => a.reported - b.reported);
  rows.forEach((row, i) => (row['Missing Report Ref'] = `MI-${String(i + 1).padStart(4, '0')}`));
  return rows;
}

writeFileSync(new URL('../fixtures/missing-2014.csv', import.meta.url), csv(MISSING_COLUMNS, missingRows()));

// ---------------------------------------------------------------------------
// fixtures/monthly-2014.csv: a quality lead's monthly dip sample, January to
// June 2014, four teams, for `audit report`. Planned grades per month (the
// rubric's own grades; June also has moderated ones), so the report's figures
// can be checked by hand:
//
//   month     cases  good  RI  inadequate   % inadequate
//   January     20     4    6    10           50.0
//   February    18     4    6     8           44.4
//   March       22     7    8     7           31.8
//   April       20     7    7     6           30.0
//   May         19     8    7     4           21.1
//   June        21     9    8     4           19.0  (computed)
//
// In June a moderator regrades two cases: one requires improvement to
// inadequate, one good to good (no change), so June's final grades are
// 9 good, 7 requires improvement, 5 inadequate (23.8%). One more June row has
// a moderated grade without a reason, and one has an impossible date: both are
// rejected. One case has no referral date, so it falls in no month.

const MONTHLY_PLAN = [
  [1, 4, 6, 10],
  [2, 4, 6, 8],
  [3, 7, 8, 7],
  [4, 7, 7, 6],
  [5, 8, 7, 4],
  [6, 9, 8, 4],
];
const MONTHLY_TEAMS = ['North', 'South', 'East', 'West'];
const MONTHLY_AREAS = ['cse', 'missing', 'custody', 'domestic-abuse', 'other', 'domestic-abuse', 'other'];
const MONTHLY_COLUMNS = [...WMP_COLUMNS.slice(0, -1), 'Moderated Grade', 'Moderation Reason', 'Officer Notes'];

function monthlyRows() {
  const rows = [];
  let n = 0;
  for (const [month, good, ri, inadequate] of MONTHLY_PLAN) {
    const grades = shuffle([...Array(good).fill('good'), ...Array(ri).fill('ri'), ...Array(inadequate).fill('inadequate')]);
    grades.forEach((grade, i) => {
      const area = MONTHLY_AREAS[(n + i) % MONTHLY_AREAS.length];
      const referred = new Date(Date.UTC(2014, month - 1, between(1, 28), between(8, 18), pick([0, 30])));
      const row = baseline(area, referred);
      row.Team = MONTHLY_TEAMS[(n + i) % MONTHLY_TEAMS.length];
      const riFaults = [...REQUIRES_IMPROVEMENT[area], GENERAL_RI[0], GENERAL_RI[1], ...(row['Strategy Discussion'] ? [GENERAL_RI[2]] : [])];
      if (grade === 'ri') applyDistinct(row, riFaults, between(1, 2));
      if (grade === 'inadequate') INADEQUATE[area][i % INADEQUATE[area].length](row);
      rows.push({ row, month, grade });
    });
    n += grades.length;
  }
  // June's moderation: the first June case graded requires improvement becomes inadequate; the first good one stays good.
  const june = rows.filter((r) => r.month === 6);
  Object.assign(june.find((r) => r.grade === 'ri').row, { 'Moderated Grade': 'Inadequate', 'Moderation Reason': 'Risk to a sibling was not considered' });
  Object.assign(june.find((r) => r.grade === 'good').row, { 'Moderated Grade': 'good', 'Moderation Reason': 'Confirmed on review' });
  const out = rows.map((r) => r.row);
  const rejected = [
    { ...out[out.length - 1], 'Moderated Grade': 'good', 'Moderation Reason': '' },
    { ...out[out.length - 2], 'Referral Received': '31/06/2014 10:00' },
  ];
  const undated = { ...out[0], 'Referral Received': '', 'Strategy Discussion': '' };
  const all = [...out, undated, ...rejected];
  all.forEach((row, i) => (row['Case Ref'] = `MD-${String(i + 1).padStart(4, '0')}`));
  return all;
}

writeFileSync(new URL('../fixtures/monthly-2014.csv', import.meta.url), csv(MONTHLY_COLUMNS, monthlyRows()));

// ---------------------------------------------------------------------------
// fixtures/formats/: the same four cases in every format and encoding the
// tool reads. Scored with fixtures/formats/rubric.yaml, every file must give
// the same results.

const FORMAT_HEADER = ['Case Ref', 'Area', 'Team', 'Referred On', 'Arrest Date', 'Intel Followed Up', 'Episodes', 'Notes'];
const FORMAT_ROWS = [
  ['FM-0001', 'cse', 'Coventry', '02/06/2014', '10/06/2014', 'Y', '', 'Synthetic; notes with a comma, "quotes"\nand a new line'],
  ['FM-0002', 'missing', 'Café Team', '2014-06-03', '', 'N', '4', 'Synthetic; £5 bus fare'],
  ['FM-0003', 'custody', 'Dudley – Brierley Hill', '04/06/2014', '25/06/2014', 'Yes', '', ''],
  ['FM-0004', 'cse', 'Coventry', '05/06/2014', '', '', '', ''],
];

function delimited(delimiter, newline) {
  const cell = (v) => (v.includes(delimiter) || /["\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [FORMAT_HEADER, ...FORMAT_ROWS].map((r) => r.map(cell).join(delimiter)).join(newline) + newline;
}

// Windows-1252 for the few characters these rows use beyond ASCII.
const CP1252 = { 'é': 0xe9, '£': 0xa3, '–': 0x96 };
function windows1252(text) {
  return Buffer.from([...text].map((c) => CP1252[c] ?? c.charCodeAt(0)));
}
function utf16be(text) {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return le;
}

const formats = new URL('../fixtures/formats/', import.meta.url);
const put = (name, content) => writeFileSync(new URL(name, formats), content);
put('utf8.csv', delimited(',', '\n'));
put('utf8-bom-crlf.csv', `\uFEFF${delimited(',', '\r\n')}`);
put('semicolon.csv', delimited(';', '\r\n'));
put('excel-unicode-text.txt', Buffer.from(`\uFEFF${delimited('\t', '\r\n')}`, 'utf16le'));
put('utf16be.csv', utf16be(delimited(',', '\r\n')));
put('windows-1252.csv', windows1252(delimited(',', '\r\n')));
put('trailing-blank-lines.csv', `${delimited(',', '\n')}\n\n\n`);

// A workbook as Excel saves it: dates are serial numbers with a date format.
const { default: ExcelJS } = await import('exceljs');
const workbook = new ExcelJS.Workbook();
workbook.created = new Date(Date.UTC(2014, 5, 30));
workbook.modified = workbook.created;
workbook.addWorksheet('Cover').addRow(['Synthetic workbook for testing; the cases are on the sheet "Cases".']);
const sheet = workbook.addWorksheet('Cases');
sheet.addRow(FORMAT_HEADER);
const serial = (d) => {
  const [day, month, year] = d.includes('/') ? d.split('/').map(Number) : d.split('-').reverse().map(Number);
  return Math.round((Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000);
};
for (const row of FORMAT_ROWS) {
  const added = sheet.addRow(row.map((v, i) => (i === 6 && v ? Number(v) : v)));
  for (const column of [4, 5]) {
    const cell = added.getCell(column);
    if (cell.value) {
      cell.value = serial(String(cell.value));
      cell.numFmt = 'dd/mm/yyyy';
    }
  }
}
// Zip entries carry the time they were written; rewrite them with a fixed one so the bytes are the same every run.
// (jszip is the zip library exceljs itself uses.)
const { default: JSZip } = await import('jszip');
const written = await JSZip.loadAsync(await workbook.xlsx.writeBuffer());
const fixed = new JSZip();
for (const [name, entry] of Object.entries(written.files)) {
  if (!entry.dir) fixed.file(name, await entry.async('uint8array'), { date: new Date(Date.UTC(2014, 5, 30)), createFolders: false });
}
put('workbook.xlsx', await fixed.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
