import type { Department, JobLevel } from '@leadforge/contracts';

type Rule<T> = [RegExp, T];

// Order matters: the first rule that matches wins, so the more specific forms come first
// ("Vice President" before "President", "Managing Director" before "Director", "Assistant to the CEO"
// is handled by cutting the "to the ..." clause before matching).
const LEVEL_RULES: Rule<JobLevel>[] = [
  [/\b(intern|internship|trainee|praktikant(in|ka)?|werkstudent(in)?|stagiaire|stagiair|stagista|tirocinante|praticante|becari[oa]|apprentice|apprendista|azubi|auszubildende[rn]?|lernende[r]?|working student|est[áa]gi[oa]|estagi[áa]ri[oa]|aprendiz|aplikant(ka)?|sta[żz]yst(a|ka)|l[äa]rling|elev)\b/i, 'intern'],
  [/\b(s?e?vp|avp|vice[\s-]+pr[eé]sident(e|in)?|vizepr[äa]sident(in)?|vicepresident(e)?|wiceprezes|vice vd|vice-vd)\b/i, 'vp'],
  [/\b(c[a-z]{1,2}o|chief|founder|co-?founder|founding partner|gr[üu]nder(in)?|owner|inhaber(in)?|president(e)?|pr[ée]sident(e)?|presidente|chair(man|woman|person)?|managing director|managing partner|senior partner|equity partner|partner(in|ka)?|gesch[äa]ftsf[üu]hrer(in)?|gesch[äa]ftsf[üu]hrung|vorstand(svorsitzende[r]?)?|vorsitzende[r]?|verwaltungsrat(spr[äa]sident(in)?)?|pdg|directeur g[ée]n[ée]ral|direct(?:eur|rice) de la publication|administrador(?:a)?(?: [úu]nic[oa])?|directrice g[ée]n[ée]rale|g[ée]rant(e)?|fondat(eur|rice|ore)|director general|directora general|consejer[oa] delegad[oa]|fundador(a)?|propietari[oa]|propriet[áa]ri[oa]|algemeen directeur|eigenaar|oprichter|principal dentist|practice owner|proprietor|soci[oa]|s[óo]ci[oa](-diretor(a)?)?|titolare|amministratore (delegato|unico)|legale rappresentante|rappresentante legale|direttore generale|direttrice generale|diretor(a)? (geral|presidente|executiv[oa])|prezes(ka)?|cz[łl]onek zarz[ąa]du|w[łl]a[śs]ciciel(ka)?|vd|verkst[äa]llande direkt[öo]r|administrerende direkt[øo]r|adm\.? ?dir|daglig leder|grundare|grundl[æa]gger|[äa]gare|del[äa]gare|ejer|eier|ordf[öo]rande|styreleder|formand|representative director|kaicho|shacho)\b/i, 'c_suite'],
  [/\b(head|leiter(in)?|hoofd|jefe|jefa|responsable de departamento|bereichsleiter(in)?|abteilungsleiter(in)?|responsabile|capo|chefe|kierownik dzia[łl]u|avdelningschef|afdelingsleder)\b|\w+leiter(in)?\b(?<!(team|gruppen|projekt|bau|filial|schicht|mandats|kunden|objekt)leiter(in)?)|\b\w{3,}chef\b(?<!\b(sous|head|pastry|executive|sushi)chef)/i, 'head'],
  [/\b(director(a)?|direktor(in)?|directeur|directrice|diretor(a)?|direttore|direttrice|dyrektor(ka)?|direkt[öo]r|direkt[øo]r|prokurist(in)?)\b/i, 'director'],
  [/\b(manager(in)?|managerin|supervisor|tech\s*lead|team\s*lead(er)?|teamleiter(in)?|teamleider|leidinggevende|gruppenleiter(in)?|projektleiter(in)?|bauleiter(in)?|filialleiter(in)?|schichtleiter(in)?|mandatsleiter(in)?|kundenleiter(in)?|objektleiter(in)?|chef de projet|chef d'?[ée]quipe|cheffe de projet|responsable|gerente|coordinador(a)? general|coordenador(a)?|coordinatore|coordinatrice|kierownik|kierowniczka|projektledare|teamledare|gruppledare|arbetsledare|projektleder|teamleder|practice manager|office manager|foreman|polier|meister(in)?|superintendent)\b/i, 'manager'],
  [/\b(senior|sr\.?|principal|staff|lead|expert(e)?|confirm[ée](e)?|s[ée]nior|s[êe]nior|starsz[ya]|oberarzt|oberärztin)\b/i, 'senior'],
  [/\b(junior|jr\.?|j[úu]nior|pleno|m[łl]odsz[ya]|account executive|associate|assistant|assistent(in|e)?|assistente|asystent(ka)?|assistante?|graduate|entry|trainee)\b/i, 'entry'],
];

const TITLE_WORDS = /\b(engineer|developer|designer|analyst|consultant|accountant|specialist|representative|coordinator|officer|advisor|adviser|architect|scientist|researcher|writer|editor|nurse|hygienist|therapist|dentist|physician|doctor|lawyer|attorney|solicitor|barrister|paralegal|counsel|clerk|receptionist|administrator|technician|mechanic|electrician|carpenter|driver|planner|dispatcher|buyer|recruiter|marketer|agent|broker|teacher|lecturer|professor|chef|cook|waiter|concierge|sommelier|bookkeeper|cashier|programmer|tester|support|sales|marketing|operations|fundraiser|volunteer|ingenieur(in)?|entwickler(in)?|berater(in)?|kauffrau|kaufmann|sachbearbeiter(in)?|techniker(in)?|zimmerer|maurer(in)?|architekt(in)?|bauzeichner(in)?|ing[ée]nieur(e)?|architecte|d[ée]veloppeur(se)?|consultant(e)?|comptable|charg[ée](e)?|assistant(e)?|commercial(e)?|planner|chauffeur|monteur|medewerker|adviseur|recepcionista|camarer[oa]|cociner[oa]|conserje|abogad[oa]|asociad[oa]|paralegal|operator|machinist|welder|plumber|winemaker|viticulturist|oenologist|agronomist|economist|pharmacist|optometrist|physiotherapist|veterinarian|surveyor|estimator|foreman|impiegat[oa]|addett[oa]|commercialista|consulente|ragioniere|avvocat[oa]|ingegnere|architett[oa]|geometra|segretari[oa]|tecnic[oa]|operai[oa]|magazziniere|contabile|progettista|sviluppat(ore|rice)|engenheir[oa]|t[ée]cnic[oa]|analista|auxiliar|encarregad[oa]|arquitet[oa]|advogad[oa]|contador(a)?|vendedor(a)?|desenvolvedor(a)?|projetista|prawnik|radca prawny|adwokat|specjalist(a|ka)|ksi[ęe]gow[ay]|sekretark[ai]|programist(a|ka)|handlowiec|in[żz]ynier|konsult|utvecklare|s[äa]ljare|ekonom|ingenj[öo]r|handl[äa]ggare|medarbetare|tekniker|r[åa]dgivare|koordinator|designer|r[åa]dgiver|udvikler|konsulent|mandatsleiter(in)?|treuh[äa]nder(in)?|buchhalter(in)?|data protection officer|dpo)\b/i;

/** Seniority of a job title (English, German, French, Dutch and Spanish forms). */
export function classifyJobLevel(title: string | null | undefined): JobLevel {
  if (!title) return 'unknown';
  // "Assistant to the CEO" is an assistant, "Head of Sales to ..." does not occur in practice.
  const t = title.replace(/\s+(to|of) the\s+(ceo|cfo|coo|cto|managing director|founder|board|president|owner).*$/i, '').trim();
  for (const [re, level] of LEVEL_RULES) if (re.test(t)) return level;
  return TITLE_WORDS.test(t) ? 'entry' : 'unknown';
}

const DEPARTMENT_RULES: Rule<Department>[] = [
  [/\b(c[eo]o|chief executive|founder|co-?founder|owner|president|managing director|managing partner|gesch[äa]ftsf[üu]hr|inhaber|vorstand|pdg|directeur g[ée]n[ée]ral|direct(?:eur|rice) de la publication|administrador(?:a)?(?: [úu]nic[oa])?|g[ée]rant|director general|algemeen directeur|chair)/i, 'executive'],
  [/\b(cfo|finance|financial|accountant|accounting|controller|controlling|bookkeep|treasur|buchhalt|finanz|comptab|financi|kaufm[äa]nnisch)/i, 'finance'],
  [/\b(cto|engineer|engineering|developer|devops|software|entwickl|ingenieur|ing[ée]nieur|programm|technical lead|tech lead|sre|qa\b|tester|architect(?!e\b)|platform)/i, 'engineering'],
  [/\b(cmo|marketing|brand|communications|content|seo|social media|pr\b|public relations|kommunikation|growth)/i, 'marketing'],
  [/\b(cro|sales|account executive|account manager|business development|vertrieb|verkauf|commercial|ventas|partnerships|bdr|sdr)/i, 'sales'],
  [/\b(cpo|product)/i, 'product'],
  [/\b(design|ux|ui\b|creative|grafik|architecte|architekt|bauzeichn)/i, 'design'],
  [/\b(data|analytics|analyst|machine learning|\bml\b|\bai\b|statistic)/i, 'data'],
  [/\b(cio|\bit\b|it-|infrastructure|sysadmin|system administrator|network|security|helpdesk)/i, 'it'],
  [/\b(customer|support|success|service client|kundenservice|kundendienst|client services|guest relations|reception|recep|front desk|concierge|klantenservice)/i, 'customer_success'],
  [/\b(legal|lawyer|attorney|solicitor|barrister|paralegal|counsel|jurist|rechtsanw|avocat|abogad|associate|partner|compliance)/i, 'legal'],
  [/\b(hr\b|human resources|people|talent|recruit|personal|rh\b|ressources humaines|chief of staff)/i, 'hr'],
  [/\b(coo|operations|logistic|supply chain|warehouse|dispatch|planner|planning|fleet|driver|chauffeur|logistiek|bauleit|projektleit|polier|foreman|site|construction|maurer|zimmerer|monteur|meister|kitchen|chef|cook|housekeeping|sommelier|hotel)/i, 'operations'],
  [/\b(dentist|dental|hygienist|nurse|physician|doctor|therapist|clinical|medical|surgeon|orthodont|zahnarzt|arzt)/i, 'medical'],
  [/\b(teacher|lecturer|professor|tutor|education|training)/i, 'education'],
  [/\b(research|scientist|r&d|laboratory|forschung)/i, 'research'],
  [/\b(office|admin|assistant|secretary|sekret[äa]r|assistent|receptionist|coordinator)/i, 'administration'],
];

/** Department of a job title; 'other' when nothing in the title says which. */
export function classifyDepartment(title: string | null | undefined): Department {
  if (!title) return 'other';
  const t = title.replace(/\s+(to|of) the\s+(ceo|cfo|coo|cto|managing director|founder|board|president|owner).*$/i, '');
  // "Head of X" / "VP X" / "Director of X": the function named after the seniority word decides.
  const fn = /\b(?:head|vp|vice president|director|leiter(?:in)?|manager|lead)\s+(?:of\s+)?(.+)$/i.exec(t);
  if (fn) {
    for (const [re, dep] of DEPARTMENT_RULES) if (dep !== 'executive' && re.test(fn[1])) return dep;
  }
  for (const [re, dep] of DEPARTMENT_RULES) if (re.test(t)) return dep;
  return 'other';
}

export function looksLikeJobTitle(text: string): boolean {
  const t = text.trim();
  if (t.length < 2 || t.length > 90) return false;
  if (/[.!?]$/.test(t) && t.split(/\s+/).length > 8) return false;
  if (/@|https?:|\d{4,}/.test(t)) return false;
  // A sentence (a bio, a teaser) is not a title.
  // (Short titles may carry abbreviations: "Geschäftsführer, dipl. Treuhandexperte".)
  const words = t.split(/\s+/).length;
  if ((/[.!?]\s+\p{Lu}/u.test(t) && words > 5) || words > 10) return false;
  return classifyJobLevel(t) !== 'unknown';
}
