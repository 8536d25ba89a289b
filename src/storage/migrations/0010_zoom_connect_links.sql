CREATE TABLE "zoom_connect_links" (
	"school_id" uuid PRIMARY KEY NOT NULL,
	"link_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "zoom_oauth_states" ALTER COLUMN "return_ltik_sealed" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "zoom_oauth_states" ADD COLUMN "connect_link_sealed" text;--> statement-breakpoint
ALTER TABLE "zoom_connect_links" ADD CONSTRAINT "zoom_connect_links_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;