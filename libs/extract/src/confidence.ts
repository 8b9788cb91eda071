export const CONFIDENCE_BASE = 30;

/**
 * Every signal that moves a lead's confidence, with its weight. The score is the base plus the
 * weights of the signals present, clamped to 0..100; the reasons list the same signals.
 */
export const CONFIDENCE_WEIGHTS = {
  /** Found in JSON-LD, microdata or an hCard: the site states it about itself. */
  structured_data: 20,
  /** A name with a job title next to it. */
  name_title_pair: 15,
  /** Listed in a legal notice (Impressum, mentions légales): legally required to be accurate. */
  legal_notice: 15,
  /** Email on the company's own registrable domain. */
  own_domain_email: 15,
  /** The email's local part matches the person's name (jane.doe@, jdoe@, jane@). */
  email_matches_name: 10,
  /** At least one valid phone number. */
  valid_phone: 10,
  /** A personal LinkedIn (or other) profile tied to the person. */
  profile_link: 10,
  /** On a team / about / leadership page. */
  team_page: 5,
  /** Seen on more than one page (added by the caller when sightings are merged). */
  seen_on_multiple_pages: 10,
  /** Company lead: name and domain known. */
  company_identified: 10,
  /** Email on a domain other than the company's (and not free mail). */
  foreign_domain_email: -10,
  /** info@, sales@, support@ ...: a mailbox, not a person. */
  generic_role_mailbox: -15,
  /** gmail.com, gmx.de, ...: not verifiable against the company. */
  free_mail_domain: -20,
  /** Person without any email, phone or profile: a name only. */
  no_direct_contact: -15,
} as const;

export type ConfidenceSignal = keyof typeof CONFIDENCE_WEIGHTS;

export interface ConfidenceReason {
  signal: ConfidenceSignal | 'base';
  weight: number;
}

export interface Confidence {
  confidence: number;
  confidenceReasons: ConfidenceReason[];
}

export function scoreConfidence(signals: Iterable<ConfidenceSignal>): Confidence {
  const unique = [...new Set(signals)];
  const reasons: ConfidenceReason[] = [{ signal: 'base', weight: CONFIDENCE_BASE }];
  let score = CONFIDENCE_BASE;
  for (const s of unique) {
    const weight = CONFIDENCE_WEIGHTS[s];
    reasons.push({ signal: s, weight });
    score += weight;
  }
  return { confidence: Math.max(0, Math.min(100, score)), confidenceReasons: reasons };
}
