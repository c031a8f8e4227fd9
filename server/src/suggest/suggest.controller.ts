import { Controller, Get, Query } from '@nestjs/common'
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger'
import { CategoryHintsQuerySchema, CategoryHintsSchema, ErrorBodySchema, type CategoryHints } from '@mq/shared'
import { createZodDto } from 'nestjs-zod'
import { Public } from '../auth/access.decorators'
import { zodSchema } from '../openapi/zod-schema'
import { SuggestService } from './suggest.service'

class CategoryHintsQueryDto extends createZodDto(CategoryHintsQuerySchema) {}

@ApiTags('places')
@Controller('api/category-hints')
export class SuggestController {
  constructor(private readonly suggest: SuggestService) {}

  /**
   * Public, like the scan view it goes with: the compound's learned phrases and counts for the category
   * suggestion (words and counts only). An id that is no compound has none.
   */
  @Get()
  @Public()
  @ApiOkResponse({ schema: zodSchema(CategoryHintsSchema) })
  @ApiBadRequestResponse({ schema: zodSchema(ErrorBodySchema) })
  hints(@Query() query: CategoryHintsQueryDto): Promise<CategoryHints> {
    return this.suggest.hints(query.compoundId)
  }
}
