import { Injectable } from '@nestjs/common'
import { lessonOf, type CategoryCode, type CategoryHints } from '@mq/shared'
import { DataSource, type EntityManager } from 'typeorm'
import { CategoryLessonRow } from './category-lesson.entity'

/** The most phrases a compound's hints carry: the mini-app downloads them with the report page. */
export const HINTS_MAX_TERMS = 500

/**
 * The category suggestion's memory per compound. When staff change a request's category (accepting it as
 * another category), the description's phrases count towards the new one (`learn`, in the same
 * transaction as the change); the report and proxy pages read the compound's counts (`hints`) and
 * shared's suggestCategories weighs them with the seeded words.
 */
@Injectable()
export class SuggestService {
  constructor(private readonly dataSource: DataSource) {}

  async learn(manager: EntityManager, compoundId: string, description: string, to: CategoryCode): Promise<void> {
    const lesson = lessonOf(description, to)
    if (lesson.length === 0) return
    await manager.query(
      `INSERT INTO category_lesson (compound_id, term, category, count)
       SELECT $1, term, $3, 1 FROM unnest($2::text[]) AS term
       ON CONFLICT (compound_id, term, category) DO UPDATE SET count = category_lesson.count + 1`,
      [compoundId, lesson.map((l) => l.term), to],
    )
  }

  async hints(compoundId: string): Promise<CategoryHints> {
    const rows = await this.dataSource.getRepository(CategoryLessonRow).find({
      where: { compoundId },
      order: { count: 'DESC', term: 'ASC' },
      take: HINTS_MAX_TERMS,
    })
    return { compoundId, terms: rows.map(({ term, category, count }) => ({ term, category, count })) }
  }
}
