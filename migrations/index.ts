import { Foundation1795219200000 } from './1795219200000-Foundation';
import { Identity1795305600000 } from './1795305600000-Identity';
import { Scraper1795392000000 } from './1795392000000-Scraper';
import { Leads1795478400000 } from './1795478400000-Leads';
import { LeadsQuery1795564800000 } from './1795564800000-LeadsQuery';
import { Billing1795651200000 } from './1795651200000-Billing';
import { Webhooks1795737600000 } from './1795737600000-Webhooks';
import { Legal1795910400000 } from './1795910400000-Legal';
import { LeadsPerformance1795996800000 } from './1795996800000-LeadsPerformance';
import { LeadsIngest1796083200000 } from './1796083200000-LeadsIngest';
import { UserSuspension1796169600000 } from './1796169600000-UserSuspension';
import { CredentialEndNotifications1796256000000 } from './1796256000000-CredentialEndNotifications';
import { LeadSearchText1796342400000 } from './1796342400000-LeadSearchText';

/** Every migration, in order. The only way the schema changes. */
export const MIGRATIONS = [Foundation1795219200000, Identity1795305600000, Scraper1795392000000, Leads1795478400000, LeadsQuery1795564800000, Billing1795651200000, Webhooks1795737600000, Legal1795910400000, LeadsPerformance1795996800000, LeadsIngest1796083200000, UserSuspension1796169600000, CredentialEndNotifications1796256000000, LeadSearchText1796342400000];
