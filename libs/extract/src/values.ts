/**
 * The part of the library that works on single values, without parsing HTML: normalizing and
 * classifying an email, a phone or a business, and scoring confidence. Servers that only handle
 * findings (ingest, opt-outs) import this entry and never load the HTML parser.
 */
export { classifyBusinessType, type BusinessEvidence } from './classify/business';
export { scoreConfidence, CONFIDENCE_BASE, CONFIDENCE_WEIGHTS, type Confidence, type ConfidenceReason, type ConfidenceSignal } from './confidence';
export { normalizeEmail, isRoleMailbox, isFreeMail } from './emails';
export { parsePhone } from './phones';
