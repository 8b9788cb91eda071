import { ChangeDetectionStrategy, Component, OnInit, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSortModule, type Sort } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import {
  exportCsv, exportExcel, exportJson, filtersBusinessTypes, filtersJobLevels, leadsBulk, leadsList, leadsRemove, leadsRestore,
  type BulkLeadsRequest, type FilterOptionResponse, type LeadResponse,
} from '@leadforge/sdk';
import { NotifyService } from '../../core/notify.service';
import { describeError } from '../../core/problem';
import { EmptyState } from '../../shared/components/empty-state';
import { Icon } from '../../shared/components/icon';
import { PageHeader } from '../../shared/components/page-header';
import { StatusChip } from '../../shared/components/status-chip';
import { formatDateTime, labelOf } from '../../shared/format';
import { LeadDrawer } from './lead-drawer';
import { EMPTY_FILTERS, activeFilterCount, toLeadFilters, type FilterState, type LeadQuery } from './lead-query';

interface ColumnDef {
  id: string;
  label: string;
  sort?: LeadQuery['sort'];
}

const COLUMNS: ColumnDef[] = [
  { id: 'name', label: 'Name' },
  { id: 'jobTitle', label: 'Title' },
  { id: 'company', label: 'Company', sort: 'companyName' },
  { id: 'email', label: 'Email' },
  { id: 'phone', label: 'Phone' },
  { id: 'jobLevel', label: 'Level' },
  { id: 'businessType', label: 'Business type' },
  { id: 'country', label: 'Country' },
  { id: 'confidence', label: 'Confidence', sort: 'confidence' },
  { id: 'status', label: 'Status' },
  { id: 'tags', label: 'Tags' },
  { id: 'createdAt', label: 'Found', sort: 'createdAt' },
];
const DEFAULT_COLUMNS = ['name', 'company', 'email', 'phone', 'confidence', 'status', 'createdAt'];
const COLUMNS_KEY = 'leadforge.leadColumns';
const PAGE_SIZE = 50;
const STATUSES = ['new', 'contacted', 'qualified', 'disqualified'] as const;

@Component({
  selector: 'lf-leads-page',
  imports: [
    FormsModule, MatTableModule, MatSortModule, MatCheckboxModule, MatButtonModule, MatMenuModule, MatFormFieldModule, MatInputModule,
    MatSelectModule, MatSlideToggleModule, MatProgressBarModule, MatTooltipModule, PageHeader, StatusChip, EmptyState, Icon, LeadDrawer,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './leads-page.html',
  styleUrl: './leads-page.scss',
})
export class LeadsPage implements OnInit {
  private readonly notify = inject(NotifyService);
  readonly taskId = input<string>();

  protected readonly allColumns = COLUMNS;
  protected readonly statuses = STATUSES;
  protected readonly draft = signal<FilterState>({ ...EMPTY_FILTERS });
  protected readonly applied = signal<FilterState>({ ...EMPTY_FILTERS });
  protected readonly sort = signal<{ sort: NonNullable<LeadQuery['sort']>; order: NonNullable<LeadQuery['order']> }>({ sort: 'createdAt', order: 'desc' });
  protected readonly visible = signal<string[]>(this.savedColumns());
  protected readonly displayed = computed(() => ['select', ...this.visible(), 'actions']);
  protected readonly rows = signal<LeadResponse[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  private readonly cursors = signal<Array<string | undefined>>([undefined]);
  protected readonly page = signal(0);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly selected = signal<ReadonlySet<string>>(new Set());
  protected readonly openLead = signal<string | null>(null);
  protected readonly exporting = signal<string | null>(null);
  protected readonly filterCount = computed(() => activeFilterCount(this.applied()));
  protected readonly allOnPageSelected = computed(() => this.rows().length > 0 && this.rows().every((row) => this.selected().has(row.id)));
  protected readonly jobLevels = signal<FilterOptionResponse[]>([]);
  protected readonly businessTypes = signal<FilterOptionResponse[]>([]);
  protected readonly labelOf = labelOf;
  protected readonly formatDateTime = formatDateTime;
  private loadRun = 0;

  constructor() {
    effect(() => {
      const filters = this.applied();
      const sort = this.sort();
      untracked(() => {
        this.cursors.set([undefined]);
        this.page.set(0);
        this.selected.set(new Set());
        void this.load(filters, sort, undefined);
      });
    });
  }

  async ngOnInit(): Promise<void> {
    const taskId = this.taskId();
    if (taskId) {
      this.draft.update((state) => ({ ...state, taskId }));
      this.applied.set({ ...this.draft() });
    }
    const [levels, types] = await Promise.all([filtersJobLevels(), filtersBusinessTypes()]);
    this.jobLevels.set(levels.data?.items ?? []);
    this.businessTypes.set(types.data?.items ?? []);
  }

  protected patch(change: Partial<FilterState>): void {
    this.draft.update((state) => ({ ...state, ...change }));
  }

  protected apply(): void {
    this.applied.set({ ...this.draft() });
  }

  protected clearFilters(): void {
    this.draft.set({ ...EMPTY_FILTERS });
    this.apply();
  }

  protected onSort(sort: Sort): void {
    const column = COLUMNS.find((item) => item.id === sort.active);
    if (!column?.sort) return;
    this.sort.set({ sort: column.sort, order: sort.direction === 'asc' ? 'asc' : 'desc' });
  }

  protected toggleColumn(id: string): void {
    const next = this.visible().includes(id) ? this.visible().filter((column) => column !== id) : COLUMNS.map((c) => c.id).filter((c) => c === id || this.visible().includes(c));
    this.visible.set(next.length ? next : DEFAULT_COLUMNS);
    localStorage.setItem(COLUMNS_KEY, JSON.stringify(this.visible()));
  }

  protected async nextPage(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor) return;
    this.cursors.update((list) => [...list.slice(0, this.page() + 1), cursor]);
    this.page.update((page) => page + 1);
    await this.load(this.applied(), this.sort(), cursor);
  }

  protected async previousPage(): Promise<void> {
    if (this.page() === 0) return;
    this.page.update((page) => page - 1);
    await this.load(this.applied(), this.sort(), this.cursors()[this.page()]);
  }

  protected reload(): Promise<void> {
    return this.load(this.applied(), this.sort(), this.cursors()[this.page()]);
  }

  private async load(filters: FilterState, sort: { sort: NonNullable<LeadQuery['sort']>; order: NonNullable<LeadQuery['order']> }, cursor: string | undefined): Promise<void> {
    const run = ++this.loadRun;
    this.loading.set(true);
    try {
      const { data } = await leadsList({ query: { ...toLeadFilters(filters), ...sort, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }, throwOnError: true });
      if (run !== this.loadRun) return;
      this.rows.set(data.items);
      this.nextCursor.set(data.nextCursor);
      this.error.set(null);
    } catch (error) {
      if (run === this.loadRun) this.error.set(describeError(error));
    } finally {
      if (run === this.loadRun) this.loading.set(false);
    }
  }

  protected toggle(id: string): void {
    const next = new Set(this.selected());
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.selected.set(next);
  }

  protected clearSelection(): void {
    this.selected.set(new Set());
  }

  protected toggleAll(): void {
    this.selected.set(this.allOnPageSelected() ? new Set() : new Set(this.rows().map((row) => row.id)));
  }

  protected async bulk(request: Omit<BulkLeadsRequest, 'ids'>, message: string): Promise<void> {
    const ids = [...this.selected()];
    try {
      const { data } = await leadsBulk({ body: { ...request, ids }, throwOnError: true });
      this.selected.set(new Set());
      await this.reload();
      if (request.action === 'delete') {
        if (await this.notify.withAction(`${data.affected} lead(s) deleted`, 'Undo')) {
          await leadsBulk({ body: { action: 'restore', ids }, throwOnError: true });
          await this.reload();
        }
      } else {
        this.notify.success(`${message}: ${data.affected} lead(s)`);
      }
    } catch (error) {
      this.notify.error(error);
    }
  }

  protected readonly bulkTagValue = signal('');

  protected bulkTag(): void {
    const tag = this.bulkTagValue().trim();
    if (!tag) return;
    this.bulkTagValue.set('');
    void this.bulk({ action: 'tag', tags: [tag.slice(0, 50)] }, 'Tagged');
  }

  protected async remove(lead: LeadResponse): Promise<void> {
    try {
      await leadsRemove({ path: { id: lead.id }, throwOnError: true });
      this.openLead.set(null);
      await this.reload();
      if (await this.notify.withAction('Lead deleted', 'Undo')) {
        await leadsRestore({ path: { id: lead.id }, throwOnError: true });
        await this.reload();
      }
    } catch (error) {
      this.notify.error(error);
    }
  }

  protected async export(format: 'csv' | 'json' | 'excel'): Promise<void> {
    this.exporting.set(format);
    const query = toLeadFilters(this.applied());
    try {
      const options = { query, parseAs: 'blob' as const, throwOnError: true as const };
      const result = format === 'csv' ? await exportCsv(options) : format === 'json' ? await exportJson(options) : await exportExcel(options);
      const blob = result.data as unknown as Blob;
      const disposition = result.response.headers.get('Content-Disposition') ?? '';
      const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `leads.${format === 'excel' ? 'xlsx' : format}`;
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      this.notify.error(error);
    } finally {
      this.exporting.set(null);
    }
  }

  protected phone(lead: LeadResponse): string {
    return lead.phones[0]?.e164 ?? '—';
  }

  protected leadUpdated(lead: LeadResponse): void {
    this.rows.update((rows) => rows.map((row) => (row.id === lead.id ? lead : row)));
  }

  private savedColumns(): string[] {
    try {
      const saved = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? 'null') as unknown;
      if (Array.isArray(saved) && saved.every((item) => typeof item === 'string' && COLUMNS.some((column) => column.id === item)) && saved.length) return saved as string[];
    } catch {
      // A malformed saved value falls back to the defaults.
    }
    return DEFAULT_COLUMNS;
  }
}
