#pragma once
// The document schema: what a policy can see. One root, `services`, a list of `service` objects
// whose fields are listed in exactly the order the normalizer (runtime/normalize/) emits a
// service's keys, so that the compiler can resolve `s.caps` to a slot once and the evaluator
// reads it with Value::get_slot without a name lookup.
//
// spec/document-model.md documents every field;
// tests/unit/runtime/documents/normalize_schema_test.cpp checks that the table there, this schema
// and the normalizer's output agree field by field.

#include "lang/core/types.hpp"

namespace capguard {

// The schema policies are checked against. Built once, immutable, shared.
const Schema& document_schema();

// The `service` object type (document_schema().objects.at("service")).
const TypePtr& service_type();

}  // namespace capguard
