import type { BusinessType } from '@leadforge/contracts';

const SCHEMA_TYPES: Record<string, BusinessType> = {
  SoftwareApplication: 'software', WebApplication: 'software',
  Dentist: 'dental',
  Restaurant: 'restaurant', CafeOrCoffeeShop: 'restaurant', Bakery: 'restaurant', BarOrPub: 'restaurant', FoodEstablishment: 'restaurant', FastFoodRestaurant: 'restaurant', Brewery: 'restaurant', Winery: 'restaurant',
  Hotel: 'hospitality', LodgingBusiness: 'hospitality', Motel: 'hospitality', Hostel: 'hospitality', Resort: 'hospitality', BedAndBreakfast: 'hospitality', Campground: 'hospitality',
  LegalService: 'law_firm', Attorney: 'law_firm', Notary: 'law_firm',
  AccountingService: 'accounting', Accountant: 'accounting',
  RealEstateAgent: 'real_estate',
  MedicalBusiness: 'healthcare', MedicalClinic: 'healthcare', Physician: 'healthcare', Hospital: 'healthcare', MedicalOrganization: 'healthcare', Optician: 'healthcare', Pharmacy: 'healthcare',
  Store: 'retail', ClothingStore: 'retail', ShoeStore: 'retail', BookStore: 'retail', HardwareStore: 'retail', Florist: 'retail', GroceryStore: 'retail', ElectronicsStore: 'retail', FurnitureStore: 'retail',
  OnlineStore: 'ecommerce',
  EducationalOrganization: 'education', School: 'education', CollegeOrUniversity: 'education', HighSchool: 'education', Preschool: 'education',
  NGO: 'nonprofit', NonprofitOrganization: 'nonprofit',
  NewsMediaOrganization: 'media',
  GovernmentOrganization: 'government', GovernmentOffice: 'government',
  HomeAndConstructionBusiness: 'construction', GeneralContractor: 'construction', Electrician: 'construction', Plumber: 'construction', RoofingContractor: 'construction', HVACBusiness: 'construction', HousePainter: 'construction',
  MovingCompany: 'logistics',
  AutoRepair: 'automotive', AutomotiveBusiness: 'automotive', AutoDealer: 'automotive',
  FinancialService: 'financial_services', BankOrCreditUnion: 'financial_services', InvestmentOrGoodsService: 'financial_services',
  InsuranceAgency: 'insurance',
  TravelAgency: 'travel', Airline: 'travel',
  ExerciseGym: 'fitness', SportsActivityLocation: 'fitness', SportsClub: 'fitness',
  BeautySalon: 'beauty', HairSalon: 'beauty', DaySpa: 'beauty', NailSalon: 'beauty', HealthAndBeautyBusiness: 'beauty',
  EmploymentAgency: 'recruiting',
};

// Keyword evidence per type, matched on lower-cased word n-grams (a trailing * is a prefix match).
// A match in the title/description/headings counts three times as much as one in body text.
const KEYWORDS: [BusinessType, string[]][] = [
  ['software', ['saas', 'software', 'platform', 'api', 'cloud', 'app', 'dashboard', 'open source', 'open-source', 'developer tools']],
  ['it_services', ['it services', 'it-dienstleister', 'managed services', 'it support', 'systemhaus', 'hosting', 'it consulting']],
  ['marketing_agency', ['marketing agency', 'digital agency', 'werbeagentur', 'agentur', 'seo agency', 'branding agency', 'creative agency']],
  ['consulting', ['consulting', 'consultancy', 'unternehmensberatung', 'beratung', 'advisory', 'conseil', 'consultores', 'management consultants']],
  ['law_firm', ['law firm', 'lawyers', 'solicitors', 'attorneys', 'legal services', 'kanzlei', 'rechtsanwalt', 'rechtsanwälte', 'avocat', 'avocats', 'abogados', 'advocaten', 'barristers']],
  ['accounting', ['accounting', 'accountants', 'bookkeeping', 'steuerberater*', 'tax advisors', 'expert-comptable', 'cpa firm']],
  ['financial_services', ['financial services', 'wealth management', 'investment', 'asset management', 'fintech', 'lending', 'banking']],
  ['insurance', ['insurance', 'versicherung*', 'assurance', 'verzekering', 'seguros']],
  ['real_estate', ['real estate', 'immobilien', 'estate agents', 'property management', 'realtor', 'realtors', 'makelaar', 'immobilier', 'inmobiliaria']],
  ['construction', ['construction', 'bauunternehmen', 'hochbau', 'tiefbau', 'rohbau', 'sanierung', 'builders', 'contractors', 'roofing', 'renovation', 'bâtiment', 'construcción', 'bouwbedrijf', 'schlüsselfertiges']],
  ['architecture', ['architect', 'architects', 'architecture', 'architekt*', 'architectes', 'architecte', 'arquitectura', 'architectenbureau', 'urbanisme']],
  ['manufacturing', ['manufactur*', 'fabrication', 'factory', 'maschinenbau', 'hersteller', 'produktion', 'industrial']],
  ['logistics', ['logistics', 'logistik', 'logistiek', 'freight', 'shipping', 'transport', 'transportation', 'warehous*', 'haulage', 'spedition', 'vervoer', 'supply chain', 'zending*', 'distributie']],
  ['retail', ['shop', 'store', 'boutique', 'retail', 'einzelhandel', 'magasin', 'tienda', 'winkel']],
  ['ecommerce', ['online shop', 'online store', 'ecommerce', 'e-commerce', 'webshop', 'add to cart', 'warenkorb', 'checkout']],
  ['wholesale', ['wholesale', 'großhandel', 'grosshandel', 'distributor', 'groothandel', 'mayorista']],
  ['restaurant', ['restaurant', 'café', 'cafe', 'bistro', 'pizzeria', 'bakery', 'bäckerei', 'menu', 'speisekarte', 'brasserie', 'trattoria', 'gastronomie']],
  ['hospitality', ['hotel', 'hostel', 'guesthouse', 'resort', 'accommodation', 'pension', 'b&b', 'habitaciones', 'hôtel', 'unterkunft', 'check-in']],
  ['travel', ['travel agency', 'tours', 'reisebüro', 'voyages', 'viajes', 'holidays']],
  ['healthcare', ['clinic', 'medical', 'physician', 'hospital', 'healthcare', 'arztpraxis', 'praxis', 'klinik', 'physiotherap*', 'cabinet médical']],
  ['dental', ['dental', 'dentist', 'dentistry', 'dentists', 'orthodont*', 'zahnarzt*', 'zahnmedizin', 'dentaire', 'dentista', 'tandarts', 'implants', 'hygienist', 'teeth', 'whitening']],
  ['pharma_biotech', ['biotech*', 'pharma*', 'clinical trials', 'life sciences']],
  ['fitness', ['gym', 'fitness', 'fitnessstudio', 'personal training', 'yoga studio', 'crossfit']],
  ['beauty', ['salon', 'spa', 'beauty', 'kosmetik', 'friseur', 'hairdresser', 'barber', 'nails']],
  ['education', ['school', 'university', 'college', 'academy', 'courses', 'schule', 'hochschule', 'akademie', 'école', 'escuela', 'training centre']],
  ['nonprofit', ['nonprofit', 'non-profit', 'charity', 'charitable', 'foundation', 'donate', 'donation', 'volunteer', 'volunteers', 'stiftung', 'verein', 'ngo', 'stichting']],
  ['government', ['government', 'ministry', 'municipality', 'city council', 'stadtverwaltung', 'gemeinde', 'mairie', 'ayuntamiento', 'gemeente']],
  ['media', ['magazine', 'newspaper', 'publisher', 'publishing', 'media company', 'podcast network', 'broadcast*', 'verlag', 'zeitung', 'newsroom']],
  ['telecommunications', ['telecom*', 'broadband', 'fibre', 'fiber', 'mobile network', 'isp', 'telekommunikation']],
  ['energy', ['energy', 'solar', 'photovoltai*', 'wind power', 'renewable', 'renewables', 'utility', 'energie', 'stromanbieter']],
  ['automotive', ['automotive', 'car dealer', 'autohaus', 'kfz', 'garage', 'car repair', 'werkstatt']],
  ['agriculture', ['farm', 'agricultur*', 'landwirtschaft', 'agrar', 'organic produce', 'dairy']],
  ['recruiting', ['recruitment agency', 'staffing', 'headhunt*', 'personalvermittlung', 'executive search']],
];

const WORDS = new Map<string, BusinessType>();
const BIGRAM_HEADS = new Set<string>();
const PREFIXES: [string, BusinessType][] = [];
for (const [type, words] of KEYWORDS) {
  for (const w of words) {
    if (w.endsWith('*')) PREFIXES.push([w.slice(0, -1), type]);
    else WORDS.set(w, type);
    if (w.includes(' ')) BIGRAM_HEADS.add(w.slice(0, w.indexOf(' ')));
  }
}

// Prefixes bucketed by their first four letters: one map lookup per token instead of a scan of all prefixes.
const PREFIX_BUCKETS = new Map<string, [string, BusinessType][]>();
for (const entry of PREFIXES) {
  const key = entry[0].slice(0, 4);
  PREFIX_BUCKETS.set(key, [...(PREFIX_BUCKETS.get(key) ?? []), entry]);
}

function keywordCounts(text: string): Map<BusinessType, number> {
  const counts = new Map<BusinessType, number>();
  const tokens = text.toLowerCase().split(/[\s.,;:!?()[\]{}"/|]+/);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    let type = BIGRAM_HEADS.has(t) && i + 1 < tokens.length ? WORDS.get(`${t} ${tokens[i + 1]}`) : undefined;
    type ??= WORDS.get(t);
    if (!type && t.length >= 6) {
      const bucket = PREFIX_BUCKETS.get(t.slice(0, 4));
      if (bucket) for (const [prefix, pt] of bucket) if (t.startsWith(prefix)) { type = pt; break; }
    }
    if (type) counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

export interface BusinessEvidence {
  /** schema.org @type values found on the page. */
  types?: string[];
  keywords?: string | null;
  /** Title, meta description, headings: the page talking about itself. */
  headline?: string;
  /** Body text; weighted less. */
  text?: string;
}

export function classifyBusinessType(e: BusinessEvidence): BusinessType {
  for (const t of e.types ?? []) {
    const mapped = SCHEMA_TYPES[t];
    if (mapped) return mapped;
  }
  const scores = new Map<BusinessType, number>();
  const add = (text: string | null | undefined, weight: number): void => {
    if (!text) return;
    for (const [type, n] of keywordCounts(text)) scores.set(type, (scores.get(type) ?? 0) + Math.min(n, 5) * weight);
  };
  add(e.keywords, 3);
  add(e.headline, 3);
  add(e.text?.slice(0, 6000), 1);
  let best: BusinessType = 'other';
  let bestScore = 2;
  for (const [type, score] of scores) {
    if (score > bestScore) {
      best = type;
      bestScore = score;
    }
  }
  return best;
}
