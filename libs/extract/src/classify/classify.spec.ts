import { describe, expect, it } from 'vitest';
import { classifyDepartment, classifyJobLevel } from './job';
import { classifyEducationDetail } from './education';
import { classifyBusinessType } from './business';

describe('classifyJobLevel', () => {
  it.each([
    ['Co-Founder & CEO', 'c_suite'], ['Managing Director', 'c_suite'], ['Geschäftsführerin', 'c_suite'], ['Gérante', 'c_suite'],
    ['Senior Vice President, Sales', 'vp'], ['Head of Product', 'head'], ['Kaufmännische Leiterin', 'head'],
    ['Director of Engineering', 'director'], ['Directeur de projets', 'director'], ['Engineering Manager', 'manager'],
    ['Teamleiter Vertrieb', 'manager'], ['Senior Software Engineer', 'senior'], ['Staff Engineer', 'senior'],
    ['Executive Assistant to the CEO', 'entry'], ['Software Engineer', 'entry'], ['Werkstudent Marketing', 'intern'],
    ['Product Design Intern', 'intern'], ['', 'unknown'], ['Welcome to our website', 'unknown'],
  ])('%s -> %s', (title, level) => {
    expect(classifyJobLevel(title)).toBe(level);
  });
});

describe('classifyDepartment', () => {
  it.each([
    ['VP of Sales', 'sales'], ['Head of Product', 'product'], ['CFO', 'finance'], ['Senior Data Engineer', 'engineering'],
    ['Product Marketing Manager', 'marketing'], ['Dental Hygienist', 'medical'], ['Chief Executive Officer', 'executive'],
  ])('%s -> %s', (title, dep) => {
    expect(classifyDepartment(title)).toBe(dep);
  });
});

describe('classifyEducationDetail', () => {
  it.each([
    ['She earned a PhD in distributed systems.', 'doctorate', 'PhD'], ['Rebecca holds a JD from Sydney', 'doctorate', 'JD'],
    ['BSc in CS and an MBA from Stanford', 'master', 'MBA'], ['Jane Roe, M.D.', 'doctorate', 'MD'],
    ['Master of Science in HCI', 'master', 'MSc'], ['holds a BA in Economics', 'bachelor', 'BA'],
    ["a Master's degree in law", 'master', 'other'], ['Dipl.-Ing. Bauingenieurwesen', 'master', 'MEng'],
    ['Jane is the MD of Acme Ltd', 'unknown', null], ['Flights with BA to Boston, MA', 'unknown', null],
  ])('%s', (text, level, degree) => {
    expect(classifyEducationDetail(text)).toEqual({ educationLevel: level, degreeType: degree });
  });
});

describe('classifyBusinessType', () => {
  it('prefers the schema.org type', () => {
    expect(classifyBusinessType({ types: ['Dentist'], text: 'software software software' })).toBe('dental');
  });
  it('falls back to keywords', () => {
    expect(classifyBusinessType({ headline: 'Commercial lawyers in Sydney', text: 'Our solicitors and lawyers advise.' })).toBe('law_firm');
    expect(classifyBusinessType({ headline: 'Hello', text: 'Nothing to see' })).toBe('other');
  });
});
