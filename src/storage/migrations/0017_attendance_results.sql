CREATE TABLE "attendance_results" (
	"school_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"lms_user_id" text NOT NULL,
	"status" text NOT NULL,
	"seconds" integer DEFAULT 0 NOT NULL,
	"first_join_at" timestamp with time zone,
	"intervals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"override_status" text,
	"override_reason" text,
	"override_by" text,
	"override_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_results_instance_id_lms_user_id_pk" PRIMARY KEY("instance_id","lms_user_id")
);
--> statement-breakpoint
CREATE TABLE "attendance_settings" (
	"school_id" uuid NOT NULL,
	"lms_issuer" text NOT NULL,
	"context_id" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"present_percent" integer DEFAULT 75 NOT NULL,
	"late_minutes" integer DEFAULT 10 NOT NULL,
	"excluded_meeting_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"grade_mode" text DEFAULT 'off' NOT NULL,
	"grade_error" text,
	"grade_error_at" timestamp with time zone,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_settings_school_id_lms_issuer_context_id_pk" PRIMARY KEY("school_id","lms_issuer","context_id")
);
--> statement-breakpoint
CREATE TABLE "course_people" (
	"school_id" uuid NOT NULL,
	"lms_issuer" text NOT NULL,
	"context_id" text NOT NULL,
	"lms_user_id" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"roles" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_student" boolean DEFAULT false NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "course_people_school_id_lms_issuer_context_id_lms_user_id_pk" PRIMARY KEY("school_id","lms_issuer","context_id","lms_user_id")
);
--> statement-breakpoint
CREATE TABLE "grade_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"lms_issuer" text NOT NULL,
	"context_id" text NOT NULL,
	"resource_id" text NOT NULL,
	"instance_id" uuid,
	"label" text NOT NULL,
	"score_maximum" double precision NOT NULL,
	"line_item_url" text,
	"state" text DEFAULT 'ok' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grade_scores" (
	"line_id" uuid NOT NULL,
	"lms_user_id" text NOT NULL,
	"score_given" double precision NOT NULL,
	"activity_progress" text NOT NULL,
	"grading_progress" text NOT NULL,
	"sent_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "grade_scores_line_id_lms_user_id_pk" PRIMARY KEY("line_id","lms_user_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_instances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"zoom_uuid" text NOT NULL,
	"occurrence_id" text,
	"scheduled_start" timestamp with time zone,
	"scheduled_minutes" integer,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"report_state" text DEFAULT 'pending' NOT NULL,
	"report_attempts" integer DEFAULT 0 NOT NULL,
	"report_error" text,
	"computed_at" timestamp with time zone,
	"final_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_registrants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"lms_user_id" text NOT NULL,
	"email" text NOT NULL,
	"state" text DEFAULT 'creating' NOT NULL,
	"registrant_id" text,
	"join_url_sealed" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "client_id" text;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "deployment_id" text;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "memberships_url" text;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "line_items_url" text;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "ags_scopes" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "attendance_results" ADD CONSTRAINT "attendance_results_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_results" ADD CONSTRAINT "attendance_results_instance_id_meeting_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."meeting_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_settings" ADD CONSTRAINT "attendance_settings_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_people" ADD CONSTRAINT "course_people_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_lines" ADD CONSTRAINT "grade_lines_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_lines" ADD CONSTRAINT "grade_lines_instance_id_meeting_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."meeting_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_scores" ADD CONSTRAINT "grade_scores_line_id_grade_lines_id_fk" FOREIGN KEY ("line_id") REFERENCES "public"."grade_lines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_instances" ADD CONSTRAINT "meeting_instances_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_instances" ADD CONSTRAINT "meeting_instances_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_registrants" ADD CONSTRAINT "meeting_registrants_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_registrants" ADD CONSTRAINT "meeting_registrants_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "grade_lines_resource_key" ON "grade_lines" USING btree ("school_id","lms_issuer","context_id","resource_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_instances_zoom_key" ON "meeting_instances" USING btree ("school_id","zoom_uuid");--> statement-breakpoint
CREATE INDEX "meeting_instances_meeting_idx" ON "meeting_instances" USING btree ("school_id","meeting_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_registrants_person_key" ON "meeting_registrants" USING btree ("meeting_id","lms_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_registrants_zoom_key" ON "meeting_registrants" USING btree ("school_id","meeting_id","registrant_id") WHERE "meeting_registrants"."registrant_id" is not null;--> statement-breakpoint
CREATE INDEX "meeting_registrants_email_idx" ON "meeting_registrants" USING btree ("school_id","email");