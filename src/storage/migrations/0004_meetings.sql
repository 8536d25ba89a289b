CREATE TABLE "courses" (
	"school_id" uuid NOT NULL,
	"lms_issuer" text NOT NULL,
	"context_id" text NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"feed_version" integer DEFAULT 1 NOT NULL,
	"reconciled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "courses_school_id_lms_issuer_context_id_pk" PRIMARY KEY("school_id","lms_issuer","context_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_occurrences" (
	"meeting_id" uuid NOT NULL,
	"occurrence_id" text NOT NULL,
	"start_time" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"status" text DEFAULT 'available' NOT NULL,
	CONSTRAINT "meeting_occurrences_meeting_id_occurrence_id_pk" PRIMARY KEY("meeting_id","occurrence_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_recordings" (
	"meeting_id" uuid NOT NULL,
	"zoom_uuid" text NOT NULL,
	"start_time" timestamp with time zone,
	"play_url" text NOT NULL,
	"file_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_recordings_meeting_id_zoom_uuid_pk" PRIMARY KEY("meeting_id","zoom_uuid")
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"lms_issuer" text NOT NULL,
	"context_id" text NOT NULL,
	"resource_link_id" text,
	"intent_key" text NOT NULL,
	"state" text DEFAULT 'creating' NOT NULL,
	"zoom_meeting_id" text,
	"zoom_uuid" text,
	"host_zoom_user_id" text NOT NULL,
	"host_lms_user_id" text NOT NULL,
	"host_name" text DEFAULT '' NOT NULL,
	"scheduled_by" text NOT NULL,
	"topic" text NOT NULL,
	"start_time" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"time_zone" text NOT NULL,
	"recurrence" jsonb,
	"settings" jsonb NOT NULL,
	"passcode" text,
	"join_url" text,
	"show_recordings" boolean DEFAULT false NOT NULL,
	"state_event_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meetings_intent_key_unique" UNIQUE("intent_key")
);
--> statement-breakpoint
CREATE TABLE "zoom_host_usage" (
	"school_id" uuid NOT NULL,
	"host_zoom_user_id" text NOT NULL,
	"day" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "zoom_host_usage_school_id_host_zoom_user_id_day_pk" PRIMARY KEY("school_id","host_zoom_user_id","day")
);
--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "courses" ADD CONSTRAINT "courses_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_occurrences" ADD CONSTRAINT "meeting_occurrences_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_recordings" ADD CONSTRAINT "meeting_recordings_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zoom_host_usage" ADD CONSTRAINT "zoom_host_usage_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meetings_course_idx" ON "meetings" USING btree ("school_id","lms_issuer","context_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meetings_zoom_id_key" ON "meetings" USING btree ("school_id","zoom_meeting_id") WHERE "meetings"."zoom_meeting_id" is not null;