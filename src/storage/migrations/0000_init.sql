CREATE TABLE "deployments" (
	"registration_id" uuid NOT NULL,
	"deployment_id" text NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deployments_registration_id_deployment_id_pk" PRIMARY KEY("registration_id","deployment_id")
);
--> statement-breakpoint
CREATE TABLE "lti_login_states" (
	"state" text PRIMARY KEY NOT NULL,
	"nonce" text NOT NULL,
	"registration_id" uuid NOT NULL,
	"target_link_uri" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ltijs_documents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"collection" text NOT NULL,
	"doc" jsonb NOT NULL,
	"sealed" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"school_id" uuid NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"login_url" text NOT NULL,
	"token_url" text NOT NULL,
	"jwks_url" text NOT NULL,
	"frame_origins" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"accept_new_deployments" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schools_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lti_login_states" ADD CONSTRAINT "lti_login_states_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lti_login_states_expires_at_idx" ON "lti_login_states" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "ltijs_documents_collection_doc_idx" ON "ltijs_documents" USING gin ("doc");--> statement-breakpoint
CREATE INDEX "ltijs_documents_collection_idx" ON "ltijs_documents" USING btree ("collection");--> statement-breakpoint
CREATE INDEX "ltijs_documents_expires_at_idx" ON "ltijs_documents" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ltijs_documents_nonce_key" ON "ltijs_documents" USING btree ("collection",("doc"->>'nonce')) WHERE "ltijs_documents"."collection" = 'nonce';--> statement-breakpoint
CREATE UNIQUE INDEX "ltijs_documents_state_key" ON "ltijs_documents" USING btree ("collection",("doc"->>'state')) WHERE "ltijs_documents"."collection" = 'state';--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_issuer_client_id_key" ON "registrations" USING btree ("issuer","client_id");