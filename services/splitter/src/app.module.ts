import { Module, type DynamicModule } from '@nestjs/common';
import { SuppressionList } from '@mailroom/jetstream';
import { SPLITTER_CONFIG, type SplitterConfig } from './config/splitter.config';
import { NewsletterScheduler } from './control/newsletter-scheduler.service';
import { BatchDispatcher } from './dispatch/batch-dispatcher.service';
import { ResumeHandler } from './control/resume.handler';
import { NewsletterSplitter } from './splitting/newsletter-splitter.service';
import { RetrySplitter } from './splitting/retry-splitter.service';
import { SplitHandler } from './splitting/split.handler';

@Module({})
export class AppModule {
  static register(config: SplitterConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [SplitHandler, ResumeHandler],
      providers: [
        { provide: SPLITTER_CONFIG, useValue: config },
        NewsletterSplitter,
        RetrySplitter,
        SuppressionList,
        NewsletterScheduler,
        BatchDispatcher,
      ],
    };
  }
}
