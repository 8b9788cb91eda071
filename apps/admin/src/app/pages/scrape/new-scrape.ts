import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, computed, effect, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormArray, FormBuilder, FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatSliderModule } from '@angular/material/slider';
import { Router } from '@angular/router';
import { filtersBusinessTypes, filtersJobLevels, filtersLeadObjectives, scraperEstimate, scraperStart, type FilterOptionResponse, type StartTaskDto, type TaskEstimateResponse } from '@leadforge/sdk';
import { debounceTime } from 'rxjs';
import { NotifyService } from '../../core/notify.service';
import { describeError, isProblem } from '../../core/problem';
import { Icon } from '../../shared/components/icon';
import { PageHeader } from '../../shared/components/page-header';
import { formatCount } from '../../shared/format';
import { parseSeeds } from '../../shared/seeds';

type Platform = StartTaskDto['platform'];

const PLATFORMS: Array<{ value: Platform; label: string; hint: string }> = [
  { value: 'website', label: 'Websites', hint: 'Crawl company sites from their home page.' },
  { value: 'directory', label: 'Directory', hint: 'Read listings with CSS selectors, page after page.' },
  { value: 'sitemap', label: 'Sitemaps', hint: 'Fetch the pages a sitemap lists.' },
];

@Component({
  selector: 'lf-new-scrape',
  imports: [
    ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatButtonModule, MatButtonToggleModule,
    MatSlideToggleModule, MatExpansionModule, MatSliderModule, PageHeader, Icon,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './new-scrape.html',
  styleUrl: './new-scrape.scss',
})
export class NewScrape implements OnInit {
  private readonly router = inject(Router);
  private readonly notify = inject(NotifyService);
  private readonly fb = inject(FormBuilder).nonNullable;
  protected readonly platforms = PLATFORMS;

  protected readonly form = this.fb.group({
    name: ['', Validators.maxLength(120)],
    platform: this.fb.control<Platform>('website'),
    seeds: ['', Validators.required],
    leadObjective: this.fb.control<NonNullable<StartTaskDto['leadObjective']>>('sales'),
    maxPages: [50, [Validators.required, Validators.min(1), Validators.max(10000)]],
    maxDepth: [2, [Validators.min(0), Validators.max(5)]],
    sameDomain: [true],
    respectRobots: [true],
    render: this.fb.control<'http' | 'browser'>('http'),
    delayMs: [250, [Validators.min(0), Validators.max(60000)]],
    include: [''],
    exclude: [''],
    businessTypes: this.fb.control<string[]>([]),
    jobLevels: this.fb.control<string[]>([]),
    minConfidence: [0],
    item: [''],
    next: [''],
    fields: new FormArray<FormControl<string>>([]),
    fieldNames: new FormArray<FormControl<string>>([]),
  });

  private readonly value = toSignal(this.form.valueChanges.pipe(debounceTime(350)), { initialValue: this.form.getRawValue() });
  protected readonly platform = toSignal(this.form.controls.platform.valueChanges, { initialValue: this.form.controls.platform.value });
  protected readonly parsed = computed(() => parseSeeds(this.value().seeds ?? ''));
  protected readonly estimate = signal<TaskEstimateResponse | null>(null);
  protected readonly estimateError = signal<string | null>(null);
  protected readonly estimating = signal(false);
  protected readonly submitting = signal(false);
  protected readonly submitError = signal<string | null>(null);
  protected readonly businessTypes = signal<FilterOptionResponse[]>([]);
  protected readonly jobLevels = signal<FilterOptionResponse[]>([]);
  protected readonly objectives = signal<FilterOptionResponse[]>([]);
  protected readonly formatCount = formatCount;
  private estimateRun = 0;

  constructor() {
    this.addField('name', '.name');
    this.addField('phone', '.phone');
    this.addField('website', 'a.site@href');
    effect(() => {
      const request = this.buildRequest(this.parsed().seeds);
      void this.runEstimate(request);
    });
    inject(DestroyRef).onDestroy(() => (this.estimateRun = -1));
  }

  async ngOnInit(): Promise<void> {
    const [business, levels, objectives] = await Promise.all([filtersBusinessTypes(), filtersJobLevels(), filtersLeadObjectives()]);
    this.businessTypes.set(business.data?.items ?? []);
    this.jobLevels.set(levels.data?.items ?? []);
    this.objectives.set(objectives.data?.items ?? []);
  }

  protected get fieldNames(): FormArray<FormControl<string>> {
    return this.form.controls.fieldNames;
  }

  protected get fieldSelectors(): FormArray<FormControl<string>> {
    return this.form.controls.fields;
  }

  addField(name = '', selector = ''): void {
    this.fieldNames.push(this.fb.control(name));
    this.fieldSelectors.push(this.fb.control(selector));
  }

  removeField(index: number): void {
    this.fieldNames.removeAt(index);
    this.fieldSelectors.removeAt(index);
  }

  async submit(): Promise<void> {
    const seeds = parseSeeds(this.form.controls.seeds.value);
    if (this.form.invalid || seeds.seeds.length === 0 || seeds.problems.length > 0) {
      this.form.markAllAsTouched();
      this.submitError.set(seeds.problems.length ? 'Fix the seeds marked below first.' : 'Add at least one seed URL.');
      return;
    }
    const request = this.buildRequest(seeds.seeds);
    if (!request) return;
    this.submitting.set(true);
    this.submitError.set(null);
    try {
      const { data } = await scraperStart({ body: request, headers: { 'Idempotency-Key': crypto.randomUUID() }, throwOnError: true });
      this.notify.success('Scrape started');
      await this.router.navigate(['/tasks', data.task.id]);
    } catch (error) {
      this.submitError.set(this.explainStartError(error));
    } finally {
      this.submitting.set(false);
    }
  }

  private explainStartError(error: unknown): string {
    if (isProblem(error) && error.code === 'insufficient_credits') {
      return `Not enough credits: this scrape needs ${formatCount(Number(error['required']))} and you have ${formatCount(Number(error['balance']))}. Lower the page limit or buy credits.`;
    }
    return describeError(error);
  }

  private buildRequest(seeds: string[]): StartTaskDto | null {
    const value = this.form.getRawValue();
    if (seeds.length === 0 || !Number.isInteger(value.maxPages) || value.maxPages < 1 || value.maxPages > 10000) return null;
    const lines = (text: string) => text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean).slice(0, 50);
    const request: StartTaskDto = {
      platform: value.platform,
      seeds,
      leadObjective: value.leadObjective,
      options: {
        maxPages: value.maxPages,
        maxDepth: value.maxDepth,
        sameDomain: value.sameDomain,
        respectRobots: value.respectRobots,
        render: value.render,
        delayMs: value.delayMs,
        ...(lines(value.include).length ? { include: lines(value.include) } : {}),
        ...(lines(value.exclude).length ? { exclude: lines(value.exclude) } : {}),
      },
    };
    if (value.name.trim()) request.name = value.name.trim();
    const filters: NonNullable<StartTaskDto['filters']> = {};
    if (value.businessTypes.length) filters.businessTypes = value.businessTypes as NonNullable<typeof filters.businessTypes>;
    if (value.jobLevels.length) filters.jobLevels = value.jobLevels as NonNullable<typeof filters.jobLevels>;
    if (value.minConfidence > 0) filters.minConfidence = value.minConfidence;
    if (Object.keys(filters).length) request.filters = filters;
    if (value.platform === 'directory') {
      const fields: Record<string, string> = {};
      value.fieldNames.forEach((name, index) => {
        const selector = value.fields[index]?.trim();
        if (name.trim() && selector) fields[name.trim()] = selector;
      });
      if (!value.item.trim() || Object.keys(fields).length === 0) return null;
      request.selectors = { item: value.item.trim(), fields, ...(value.next.trim() ? { next: value.next.trim() } : {}) };
    }
    return request;
  }

  private async runEstimate(request: StartTaskDto | null): Promise<void> {
    const run = ++this.estimateRun;
    if (!request || this.parsed().problems.length > 0) {
      this.estimate.set(null);
      this.estimateError.set(null);
      return;
    }
    this.estimating.set(true);
    try {
      const { data } = await scraperEstimate({ body: request, throwOnError: true });
      if (run === this.estimateRun) {
        this.estimate.set(data);
        this.estimateError.set(null);
      }
    } catch (error) {
      if (run === this.estimateRun) this.estimateError.set(describeError(error));
    } finally {
      if (run === this.estimateRun) this.estimating.set(false);
    }
  }
}
