import type { LaunchContext } from '../lti';
import type { Viewer } from './meetings.presenter';
import type { CourseKey } from './meetings.repo';

/**
 * A card on the course page above the meetings, from another part of a course's life (meetings
 * to import from Zoom, meetings whose host left, last term's series to bring over). Each source
 * decides from the launch whether it shows anything; none of them may ask Zoom on a student's view.
 */
export interface CoursePanel {
  /** The EJS view under `views/` (e.g. `course-life/import`), rendered with `locals`. */
  view: string;
  locals: Record<string, unknown>;
}

export interface CoursePanelInput {
  launch: LaunchContext;
  schoolId: string;
  course: CourseKey;
  /** Who looks: their language, the time now, and their zone (dates on a card are given in it). */
  viewer: Viewer;
  /** A link inside the launch (keeps the ltik, zone and list). */
  link: (path: string, extra?: Record<string, string | undefined>) => string;
}

export type CoursePanelSource = (input: CoursePanelInput) => Promise<CoursePanel | undefined>;

/** The sources `services.ts` registers, asked together; one that fails is left out (and logged), never the page. */
export class CoursePanels {
  private readonly sources: CoursePanelSource[] = [];

  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  add(source: CoursePanelSource): void {
    this.sources.push(source);
  }

  async for(input: CoursePanelInput): Promise<CoursePanel[]> {
    const panels = await Promise.all(
      this.sources.map((source) =>
        source(input).catch((error: unknown) => {
          this.onError(error);
          return undefined;
        }),
      ),
    );
    return panels.filter((panel): panel is CoursePanel => panel !== undefined);
  }
}
