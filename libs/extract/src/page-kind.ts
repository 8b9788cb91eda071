import type { PageKind } from './types';

const RULES: [PageKind, RegExp][] = [
  ['legal_notice', /impressum|imprint|mentions[-_ ]l[ée]gales|legal[-_ ]notice|aviso[-_ ]legal|colofon|disclaimer|note[-_ ]legali|nota[-_ ]legal|informacje[-_ ]prawne/i],
  ['careers', /careers?|jobs?|jobba|karriere|karri[äa]r|kariera|stellen|vacatures|werken[-_ ]bij|carri[eè]res?|carriere|carreiras?|empleo|trabaja|trabalhe|vagas|recrutement|recruit|rekrutacja|praca|lavora|lavoro|emplois?|join[-_ ]us/i],
  ['team', /team|about|leadership|people|staff|management|board|[üu]ber[-_ ]uns|equipe|équipe|equipo|over[-_ ]ons|who[-_ ]we[-_ ]are|partners|our[-_ ]lawyers|attorneys|dentists|nosotros|qui[-_ ]sommes|chi[-_ ]siamo|om[-_ ]oss|om[-_ ]os|zesp[oó][łl]|o[-_ ]nas|quem[-_ ]somos|sobre|company[-_ ]profile|our[-_ ]story/i],
  ['contact', /contact|kontakt|contacto|contato|contatti|contattaci|contactez|anfahrt|location/i],
  ['blog', /blog|news|article|post|insights|aktuelles|actualit|noticias|not[íi]cias|notizie|nieuws|nyheter|aktualno|journal|magazine/i],
];

/** What a page is about, from its path first and its title second. */
export function classifyPage(url: string, title: string): PageKind {
  let path = '/';
  try {
    path = new URL(url).pathname;
  } catch {
    // an unparseable URL is classified by its title alone
  }
  if (path === '/' || /^\/(index\.\w+)?$/.test(path) || /^\/[a-z]{2}\/?$/.test(path)) return 'home';
  for (const [kind, re] of RULES) if (re.test(path)) return kind;
  for (const [kind, re] of RULES) if (re.test(title)) return kind;
  return 'other';
}
