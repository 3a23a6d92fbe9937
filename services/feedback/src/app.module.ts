import { Module, type DynamicModule } from '@nestjs/common';
import { FEEDBACK_CONFIG, type FeedbackConfig } from './config/feedback.config';
import { FeedbackRecorder } from './feedback/feedback-recorder.service';
import { SuppressOnFeedbackHandler } from './feedback/suppress-on-feedback.handler';
import { FeedbackSmtpServer } from './inbound/feedback-smtp.server';
import { ProviderWebhooksController } from './webhooks/provider-webhooks.controller';

@Module({})
export class AppModule {
  static register(config: FeedbackConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [SuppressOnFeedbackHandler, ProviderWebhooksController],
      providers: [{ provide: FEEDBACK_CONFIG, useValue: config }, FeedbackRecorder, FeedbackSmtpServer],
    };
  }
}
