import type { DegreeType, EducationLevel } from '@leadforge/contracts';

interface DegreeRule {
  re: RegExp;
  level: EducationLevel;
  degree: DegreeType;
}

// Abbreviations are matched case-sensitively and only in degree-like positions ("holds a BA", "BA in"),
// so that "MA"/"MD" the US states, "BA" the airline or "MD" the managing director do not count. Highest level first.
const RULES: DegreeRule[] = [
  { re: /\b(Ph\.?\s?D\.?|PhD|DPhil|D\.Phil\.?)(?![a-z])|\bdoctorate\b|\bdoctoral degree\b|\bDoktor(?:arbeit|grad)?\b|\bpromoviert|\bdoctorat\b|\bdoctorado\b|\bpromotie\b|\bgepromoveerd\b/i, level: 'doctorate', degree: 'PhD' },
  { re: /\bM\.D\.|\bDoctor of Medicine\b|\bDr\.\s?med\.(?!\s?dent)|\b(?:an?|her|his|earned|holds|received|completed)\s+(?:an?\s+)?MD\b/, level: 'doctorate', degree: 'MD' },
  { re: /\bJ\.D\.|\bJuris Doctor\b|(?:,\s*|\b(?:a|her|his|earned|holds|received)\s+)JD\b/, level: 'doctorate', degree: 'JD' },
  { re: /\b(DDS|DMD|D\.D\.S\.|D\.M\.D\.|Dr\.\s?med\.\s?dent\.|PharmD|EdD|DBA)\b|\bDr\.?\s+(?:rer\.|phil\.|jur\.|ing\.)/, level: 'doctorate', degree: 'other' },
  { re: /\bdottorato\b|\bdottore di ricerca\b|\bdoutorado\b|\bdoutor(?:a)? em\b|\bdoktor nauk\b|\bdoktorsexamen\b|\bdoktorgrad\b|\bph\.?d\.? i\b/i, level: 'doctorate', degree: 'PhD' },
  { re: /\bM\.?B\.?A\.?\b|\bExecutive MBA\b|\bMaster of Business Administration\b/, level: 'master', degree: 'MBA' },
  { re: /\b(M\.?Eng\.?|MEng)\b|\bMaster of Engineering\b|\bDipl\.-Ing\.|\bDiplom-Ingenieur(in)?\b/, level: 'master', degree: 'MEng' },
  { re: /\b(M\.Sc\.?|MSc|M\.S\.)(?![a-z])|\bMaster of Science\b|\bMaster(?:'s)? (?:degree )?in (?:Computer|Data|Mathematics|Physics|Chemistry|Engineering|Statistics|Economics|Biology|Information)\b|\b(?:an?|her|his|earned|holds|received|completed)\s+MS\b/, level: 'master', degree: 'MSc' },
  { re: /\b(M\.A\.)(?![a-z])|\bMaster of Arts\b|\b(?:an?|her|his|earned|holds|received|completed)\s+MA\b|\bMA (?:in|from)\b/, level: 'master', degree: 'MA' },
  { re: /\bM\.\s?Tech\b|\bMTech\b|\bM\.E\.(?![a-z])|\blaurea magistrale\b|\bmestre em\b|\bmestrado\b|\bmagister\b|\bcivilingenj[öo]r\b|\bcivilekonom\b|\bkandidat i\b/i, level: 'master', degree: 'other' },
  { re: /\bLL\.?M\.?\b|\bMaster(?:'s)?\s+degree\b|\bmaster'?s\b|\bMasterabschluss\b|\bmaîtrise\b|\bmaster\s+(?:en|in|de|of)\b|\bmáster\b|\bDiplom\b|\bDipl\.(?:-|\s)?[A-Z][a-z]+\./i, level: 'master', degree: 'other' },
  { re: /\b(B\.?Eng\.?|BEng)\b|\bBachelor of Engineering\b/, level: 'bachelor', degree: 'BEng' },
  { re: /\b(B\.Sc\.?|BSc|B\.S\.)(?![a-z])|\bBachelor of Science\b|\b(?:an?|her|his|earned|holds|received|completed)\s+BS\b/, level: 'bachelor', degree: 'BSc' },
  { re: /\b(B\.A\.)(?![a-z])|\bBachelor of Arts\b|\b(?:an?|her|his|earned|holds|received|completed)\s+BA\b|\bBA \((?:Hons|Honours)\)|\bBA (?:in|from)\b/, level: 'bachelor', degree: 'BA' },
  { re: /\bB\.\s?Tech\b|\bBTech\b|\bB\.\s?Com\b|\blaurea triennale\b|\bbacharel(?:ado)?\b|\blicencjat\b|\bin[żz]ynier\b|\bh[öo]gskoleexamen\b/i, level: 'bachelor', degree: 'other' },
  { re: /\bLL\.?B\.?\b|\bBDS\b|\bBachelor of Laws\b|\bbachelor\b|\bBachelor(?:'s)?\s+degree\b|\bbachelor'?s\b|\bBachelorabschluss\b|\blicence\s+(?:en|professionnelle)\b|\bgrado en\b|\blicenciad[oa]\b/i, level: 'bachelor', degree: 'other' },
  { re: /\bA\.S\.(?![a-z])|\bAssociate of Science\b/, level: 'associate', degree: 'AS' },
  { re: /\bA\.A\.(?![a-z])|\bAssociate of Arts\b/, level: 'associate', degree: 'AA' },
  { re: /\bassociate(?:'s)? degree\b/i, level: 'associate', degree: 'other' },
  { re: /\bhigh school diploma\b|\bGED\b|\bAbitur\b|\bbaccalauréat\b|\bA-levels\b/i, level: 'high_school', degree: 'other' },
];

export interface Education {
  educationLevel: EducationLevel;
  degreeType: DegreeType | null;
}

/** Highest degree a bio, a name's post-nominals or a credential list mentions. */
export function classifyEducationDetail(text: string | null | undefined): Education {
  if (!text) return { educationLevel: 'unknown', degreeType: null };
  for (const rule of RULES) if (rule.re.test(text)) return { educationLevel: rule.level, degreeType: rule.degree };
  // A "Dr." honorific without a field still says doctorate.
  if (/(^|\s)(Dr\.|Prof\. Dr\.)\s?[A-ZÄÖÜ]/.test(text)) return { educationLevel: 'doctorate', degreeType: 'other' };
  return { educationLevel: 'unknown', degreeType: null };
}

export function classifyEducation(text: string | null | undefined): EducationLevel {
  return classifyEducationDetail(text).educationLevel;
}

export function classifyDegreeType(text: string | null | undefined): DegreeType | null {
  return classifyEducationDetail(text).degreeType;
}
