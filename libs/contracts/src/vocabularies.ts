/**
 * Fixed vocabularies of DESIGN.md §6. The arrays are the source of truth; the union types and
 * label maps are derived from them so that server, console and extractor cannot drift apart.
 */

export const JOB_LEVELS = ['c_suite', 'vp', 'head', 'director', 'manager', 'senior', 'entry', 'intern', 'unknown'] as const;
export type JobLevel = (typeof JOB_LEVELS)[number];
export const JOB_LEVEL_LABELS: Record<JobLevel, string> = {
  c_suite: 'C-suite / owner',
  vp: 'Vice president',
  head: 'Head of',
  director: 'Director',
  manager: 'Manager',
  senior: 'Senior',
  entry: 'Entry / individual contributor',
  intern: 'Intern / trainee',
  unknown: 'Unknown',
};

export const EDUCATION_LEVELS = ['doctorate', 'master', 'bachelor', 'associate', 'high_school', 'unknown'] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];
export const EDUCATION_LEVEL_LABELS: Record<EducationLevel, string> = {
  doctorate: 'Doctorate',
  master: "Master's",
  bachelor: "Bachelor's",
  associate: 'Associate',
  high_school: 'High school',
  unknown: 'Unknown',
};

export const DEGREE_TYPES = ['PhD', 'MD', 'JD', 'MBA', 'MSc', 'MA', 'MEng', 'BSc', 'BA', 'BEng', 'AS', 'AA', 'other'] as const;
export type DegreeType = (typeof DEGREE_TYPES)[number];
export const DEGREE_TYPE_LABELS: Record<DegreeType, string> = {
  PhD: 'Doctor of Philosophy (PhD)',
  MD: 'Doctor of Medicine (MD)',
  JD: 'Juris Doctor (JD)',
  MBA: 'Master of Business Administration (MBA)',
  MSc: 'Master of Science (MSc)',
  MA: 'Master of Arts (MA)',
  MEng: 'Master of Engineering (MEng)',
  BSc: 'Bachelor of Science (BSc)',
  BA: 'Bachelor of Arts (BA)',
  BEng: 'Bachelor of Engineering (BEng)',
  AS: 'Associate of Science (AS)',
  AA: 'Associate of Arts (AA)',
  other: 'Other degree',
};

export const LEAD_OBJECTIVES = ['sales', 'recruiting', 'partnerships', 'investors', 'research'] as const;
export type LeadObjective = (typeof LEAD_OBJECTIVES)[number];
export const LEAD_OBJECTIVE_LABELS: Record<LeadObjective, string> = {
  sales: 'Sales prospecting',
  recruiting: 'Recruiting',
  partnerships: 'Partnerships',
  investors: 'Investors',
  research: 'Research',
};

export const BUSINESS_TYPES = [
  'software',
  'it_services',
  'marketing_agency',
  'consulting',
  'law_firm',
  'accounting',
  'financial_services',
  'insurance',
  'real_estate',
  'construction',
  'architecture',
  'manufacturing',
  'logistics',
  'retail',
  'ecommerce',
  'wholesale',
  'restaurant',
  'hospitality',
  'travel',
  'healthcare',
  'dental',
  'pharma_biotech',
  'fitness',
  'beauty',
  'education',
  'nonprofit',
  'government',
  'media',
  'telecommunications',
  'energy',
  'automotive',
  'agriculture',
  'recruiting',
  'other',
] as const;
export type BusinessType = (typeof BUSINESS_TYPES)[number];
export const BUSINESS_TYPE_LABELS: Record<BusinessType, string> = {
  software: 'Software / SaaS',
  it_services: 'IT services',
  marketing_agency: 'Marketing agency',
  consulting: 'Consulting',
  law_firm: 'Law firm',
  accounting: 'Accounting',
  financial_services: 'Financial services',
  insurance: 'Insurance',
  real_estate: 'Real estate',
  construction: 'Construction',
  architecture: 'Architecture',
  manufacturing: 'Manufacturing',
  logistics: 'Logistics',
  retail: 'Retail',
  ecommerce: 'E-commerce',
  wholesale: 'Wholesale',
  restaurant: 'Restaurant / food',
  hospitality: 'Hospitality',
  travel: 'Travel',
  healthcare: 'Healthcare',
  dental: 'Dental',
  pharma_biotech: 'Pharma / biotech',
  fitness: 'Fitness',
  beauty: 'Beauty / wellness',
  education: 'Education',
  nonprofit: 'Nonprofit',
  government: 'Government',
  media: 'Media / publishing',
  telecommunications: 'Telecommunications',
  energy: 'Energy',
  automotive: 'Automotive',
  agriculture: 'Agriculture',
  recruiting: 'Recruiting / staffing',
  other: 'Other',
};

export const DEPARTMENTS = [
  'executive',
  'engineering',
  'product',
  'design',
  'data',
  'it',
  'sales',
  'marketing',
  'customer_success',
  'finance',
  'legal',
  'hr',
  'operations',
  'administration',
  'medical',
  'education',
  'research',
  'other',
] as const;
export type Department = (typeof DEPARTMENTS)[number];
export const DEPARTMENT_LABELS: Record<Department, string> = {
  executive: 'Executive / management',
  engineering: 'Engineering',
  product: 'Product',
  design: 'Design',
  data: 'Data / analytics',
  it: 'IT',
  sales: 'Sales / business development',
  marketing: 'Marketing / communications',
  customer_success: 'Customer success / support',
  finance: 'Finance / accounting',
  legal: 'Legal',
  hr: 'People / HR / recruiting',
  operations: 'Operations / logistics',
  administration: 'Administration / office',
  medical: 'Medical / clinical',
  education: 'Teaching / education',
  research: 'Research / science',
  other: 'Other',
};

export const PHONE_TYPES = ['landline', 'mobile', 'fax', 'toll_free', 'voip', 'unknown'] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];

export const SOCIAL_PLATFORMS = ['linkedin', 'twitter', 'github', 'facebook', 'instagram', 'youtube', 'tiktok'] as const;
export type SocialPlatform = (typeof SOCIAL_PLATFORMS)[number];
export type Socials = Partial<Record<SocialPlatform, string>>;

/** `{value, label}` pairs in vocabulary order, as the filters endpoints serve them. */
export function vocabularyOptions<T extends string>(values: readonly T[], labels: Record<T, string>): { value: T; label: string }[] {
  return values.map((value) => ({ value, label: labels[value] }));
}
