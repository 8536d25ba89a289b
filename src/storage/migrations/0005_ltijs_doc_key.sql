ALTER TABLE "ltijs_documents" ADD COLUMN "doc_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "ltijs_documents_doc_key" ON "ltijs_documents" USING btree ("collection","doc_key") WHERE "ltijs_documents"."doc_key" is not null;--> statement-breakpoint
-- Sessions started before this migration get their key (the same text lti.plugin.ts computes: a
-- JSON array of the key fields' values), so nobody in the middle of a session has to launch again.
UPDATE "ltijs_documents" SET "doc_key" = '[' || concat_ws(',', coalesce(("doc"->'iss')::text, 'null'), coalesce(("doc"->'clientId')::text, 'null'), coalesce(("doc"->'deploymentId')::text, 'null'), coalesce(("doc"->'user')::text, 'null')) || ']' WHERE "collection" = 'idtoken';--> statement-breakpoint
UPDATE "ltijs_documents" SET "doc_key" = '[' || concat_ws(',', coalesce(("doc"->'contextId')::text, 'null'), coalesce(("doc"->'user')::text, 'null')) || ']' WHERE "collection" = 'contexttoken';
