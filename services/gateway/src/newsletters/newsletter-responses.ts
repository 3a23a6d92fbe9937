import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI shapes of the newsletter routes' answers (the newsletter itself: NewsletterView in @mailroom/contracts). */

export class NewsletterAcceptedDto {
  @ApiProperty({ format: 'uuid', example: '7f0c2a4e-1b5d-4c1e-9a51-3f2d8e6b9c10' })
  readonly id!: string;

  @ApiProperty({ enum: ['queued', 'scheduled'], example: 'queued' })
  readonly status!: 'queued' | 'scheduled';
}
