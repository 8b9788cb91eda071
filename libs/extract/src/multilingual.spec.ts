import { describe, expect, it } from 'vitest';
import { extract } from './extract';
import { emailsFromScript, emailsFromText } from './emails';
import { phonesFromText } from './phones';
import { classifyJobLevel, looksLikeJobTitle } from './classify/job';
import { classifyEducationDetail } from './classify/education';
import { cleanName, looksLikePersonName } from './names';
import { classifyPage } from './page-kind';
import { classifySocialLink } from './socials';

// Cases found on held-out sites (Italy, Sweden, Poland, Switzerland, Canada, India, Japan, Brazil,
// South Africa, Singapore) that the extractor first got wrong.

const page = (body: string, lang = 'en'): string => `<!doctype html><html lang="${lang}"><head><title>Page</title></head><body><main>${body}</main></body></html>`;
const emails = (text: string): string[] => emailsFromText(text).map((e) => e.email.toLowerCase());
const e164 = (text: string, country: Parameters<typeof phonesFromText>[1]): string[] => phonesFromText(text, country).map((p) => p.e164);

describe('emails in other languages and scripts', () => {
  it('reads full-width at signs (Japanese sites)', () => {
    expect(emails('E-mail: eigyo＠fuji-seiki.co.jp')).toEqual(['eigyo@fuji-seiki.co.jp']);
  });
  it('reads bracketed at/dot words in several languages', () => {
    expect(emails('ufficio [at] rossini [punto] it')).toEqual(['ufficio@rossini.it']);
    expect(emails('kontor (at) hansen (punkt) dk')).toEqual(['kontor@hansen.dk']);
    expect(emails('vendas (arroba) lojaazul.com.br')).toEqual(['vendas@lojaazul.com.br']);
    expect(emails('biuro [małpa] firma [kropka] pl')).toEqual(['biuro@firma.pl']);
  });
  it('does not take git remotes for addresses', () => {
    expect(emails('git clone git@gitlab.com:acme/tool.git')).toEqual([]);
    expect(emails('Write to dev@acme.io: we answer fast')).toEqual(['dev@acme.io']);
  });
  it('follows comma-separated var declarations in scripts', () => {
    const found = emailsFromScript(`var a="kontakt",b="lund-design.se";document.write('<a href="mailto:'+a+'@'+b+'">'+a+'@'+b+'</a>');`);
    expect(found.map((e) => e.email)).toContain('kontakt@lund-design.se');
  });
  it('un-reverses CSS bidi-override text', () => {
    const f = extract('https://www.verdi.it/', page('<p>Scrivi a <span style="unicode-bidi:bidi-override; direction: rtl;">ti.idrev@ofni</span></p>', 'it'));
    expect(f.emails.map((e) => e.email)).toEqual(['info@verdi.it']);
  });
});

describe('phone look-alikes in other countries', () => {
  it('rejects Swedish giro and organisation numbers', () => {
    expect(e164('Bankgiro 123-4567\nPlusgiro 12 34 56-7\nOrg.nr 556677-8899', 'SE')).toEqual([]);
  });
  it('rejects Polish and Brazilian registry ids', () => {
    expect(e164('REGON 012345678', 'PL')).toEqual([]);
    expect(e164('CNPJ 98.765.432/0001-10, CEP 04538-133', 'BR')).toEqual([]);
  });
  it('rejects a Japanese postcode followed by a house number', () => {
    expect(e164('〒530-0001 5 Umeda, Kita-ku, Osaka', 'JP')).toEqual([]);
  });
  it('still reads the local formats', () => {
    expect(e164('Tel. 031-701 23 45', 'SE')).toEqual(['+46317012345']);
    expect(e164('tel. 22 628 12 34 wew. 15', 'PL')).toEqual(['+48226281234']);
    expect(e164('TEL 06-6345-1234', 'JP')).toEqual(['+81663451234']);
  });
});

describe('job titles beyond English and German', () => {
  it.each([
    ['Amministratore Delegato', 'c_suite'], ['Socia fondatrice', 'c_suite'], ['Responsabile Amministrazione', 'head'], ['Tirocinante', 'intern'], ['Impiegata contabile', 'entry'],
    ['VD', 'c_suite'], ['Verkställande direktör', 'c_suite'], ['Försäljningschef', 'head'], ['Projektledare', 'manager'], ['Senior konsult', 'senior'], ['Lärling', 'intern'],
    ['Prezes Zarządu', 'c_suite'], ['Dyrektor sprzedaży', 'director'], ['Kierownik projektu', 'manager'], ['Starsza księgowa', 'senior'], ['Stażystka', 'intern'],
    ['Verwaltungsratspräsidentin', 'c_suite'], ['Mandatsleiter Treuhand', 'manager'], ['Lernende Informatikerin', 'intern'], ['Partnerin', 'c_suite'],
    ['Sócia-diretora', 'c_suite'], ['Diretor Financeiro', 'director'], ['Coordenadora de Compras', 'manager'], ['Analista Sênior', 'senior'], ['Estagiário de Engenharia', 'intern'],
    ['Machine Operator', 'entry'], ['Winemaker', 'entry'],
  ])('%s -> %s', (title, level) => {
    expect(classifyJobLevel(title)).toBe(level);
  });
  it('accepts a short title with an abbreviation but not a sentence', () => {
    expect(looksLikeJobTitle('Geschäftsführerin, dipl. Wirtschaftsprüferin')).toBe(true);
    expect(looksLikeJobTitle('She leads the team. Before that she was a senior consultant in Basel.')).toBe(false);
  });
});

describe('names with professional prefixes', () => {
  it.each([
    ['Dott.ssa Giulia Neri', 'Giulia Neri'], ['Avv. Paolo Conti', 'Paolo Conti'], ['adw. dr Ewa Mazur', 'Ewa Mazur'], ['r.pr. Adam Nowicki', 'Adam Nowicki'], ['Eng. Paulo Ramos', 'Paulo Ramos'],
  ])('%s -> %s', (raw, clean) => {
    expect(cleanName(raw)).toBe(clean);
    expect(looksLikePersonName(raw)).toBe(true);
  });
});

describe('people in other markups', () => {
  it('reads "Role: Name" lines whatever the language', () => {
    const f = extract('https://www.ferri.it/note-legali', page('<p>Legale rappresentante: Dott. Carlo Ferri</p><p>Responsable : Anne Morel, Directrice de l\'agence</p><p>Ansprechperson: Eva Keller</p>', 'it'));
    expect(f.people.map((p) => `${p.fullName}|${p.jobTitle}`).sort()).toEqual(['Anne Morel|Directrice de l\'agence', 'Carlo Ferri|Legale rappresentante']);
  });
  it('keeps the credential line of a <strong>Name</strong><br>Title card and does not glue name and title', () => {
    const f = extract('https://www.kern-treuhand.ch/team', page('<div class="c"><p><strong>Dr. Lea Kern</strong><br>Partnerin, Leiterin Revision</p></div><div class="c"><p><strong>Marc Vogt</strong><br>Geschäftsführer, dipl. Treuhandexperte</p></div>', 'de-CH'));
    expect(f.people.map((p) => `${p.fullName}|${p.jobTitle}`).sort()).toEqual(['Lea Kern|Partnerin, Leiterin Revision', 'Marc Vogt|Geschäftsführer, dipl. Treuhandexperte']);
  });
  it('takes "<strong>Name</strong> – Title" with an unfamiliar title and never borrows the next person\'s line', () => {
    const f = extract('https://www.hillvale.co.za/about', page('<div class="rte"><p><strong>Anton Joubert</strong> – Cellar Hand</p><p><strong>Zanele Khumalo</strong> – Marketing Manager</p></div>'));
    expect(f.people.map((p) => `${p.fullName}|${p.jobTitle}`).sort()).toEqual(['Anton Joubert|Cellar Hand', 'Zanele Khumalo|Marketing Manager']);
  });
  it('finds education mentioned outside the card', () => {
    const f = extract('https://www.bergen-design.se/om-oss', page('<div class="card"><div class="n">Nils Holm</div><div class="r">Projektledare</div></div><div class="card"><div class="n">Eva Lind</div><div class="r">Designer</div></div><p>Nils has an M.Sc. in interaction design.</p>', 'sv-SE'));
    expect(f.people.find((p) => p.fullName === 'Nils Holm')).toMatchObject({ educationLevel: 'master', degreeType: 'MSc' });
    expect(f.people.find((p) => p.fullName === 'Eva Lind')?.educationLevel).toBe('unknown');
  });
  it('reads education words in Italian, Portuguese and Indian forms', () => {
    expect(classifyEducationDetail('Dottorato di ricerca in economia').educationLevel).toBe('doctorate');
    expect(classifyEducationDetail('Mestre em Engenharia de Produção').educationLevel).toBe('master');
    expect(classifyEducationDetail('M.Tech from IIT Delhi').educationLevel).toBe('master');
    expect(classifyEducationDetail('B.Tech in Computer Science').educationLevel).toBe('bachelor');
  });
});

describe('job listings', () => {
  it('reads list items, position tables and heading cards on careers pages in other languages', () => {
    const html = page(`<ul><li><strong>Estágio em Marketing</strong> – Campinas – bolsa R$ 1.800,00</li><li><p>Analista Contábil Sênior</p><p>São Paulo · CLT</p></li></ul>
      <table><tr><th>Position</th><td>Press Brake Operator</td></tr><tr><th>Salary</th><td>JPY 260,000</td></tr></table>
      <a href="#a" class="job"><h3>Junior UX-designer</h3><div>Malmö · Heltid</div></a>`);
    const jobs = extract('https://www.acme.com.br/trabalhe-conosco', html).jobs.map((j) => j.title).sort();
    expect(jobs).toEqual(['Analista Contábil Sênior', 'Estágio em Marketing', 'Junior UX-designer', 'Press Brake Operator']);
  });
  it.each([
    ['/lavora-con-noi', 'careers'], ['/jobba-hos-oss', 'careers'], ['/kariera', 'careers'], ['/trabalhe-conosco', 'careers'], ['/recruit/', 'careers'],
    ['/chi-siamo', 'team'], ['/om-oss', 'team'], ['/zespol', 'team'], ['/quem-somos', 'team'], ['/contatti', 'contact'], ['/note-legali', 'legal_notice'],
  ])('%s is a %s page', (path, kind) => {
    expect(classifyPage(`https://www.example.org${path}`, '')).toBe(kind);
  });
});

describe('socials fast path', () => {
  it('still canonicalises platform links and ignores others', () => {
    expect(classifySocialLink('https://instagram.com/Brand.Shop?igsh=abc')?.url).toBe('https://www.instagram.com/brand.shop');
    expect(classifySocialLink('https://www.example.com/linkedin')).toBeNull();
  });
});
