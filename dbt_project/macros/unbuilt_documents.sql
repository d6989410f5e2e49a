{#- The filter that makes a model keyed by document incremental: on an incremental run, only the
    documents this model has not built in their current extractor version. A document's id is the hash
    of its bytes and the loader replaces its rows only when the extractor version changes, so these are
    exactly the documents staged since the model was last built. A full build (first run or
    --full-refresh) keeps every document, and so does the first incremental run on a table built before
    it carried extractor_version (the model's on_schema_change adds the column). `documents` names the
    relation being filtered; it must carry document_id and extractor_version. `adapter` is undefined
    only under sqlfluff's templater, which then lints the filter. -#}
{% macro unbuilt_documents(documents) -%}
    {%- if is_incremental() and (
        adapter is not defined
        or 'extractor_version' in adapter.get_columns_in_relation(this) | map(attribute='name')
    ) %}
    where not exists (
        select 1
        from {{ this }} as built
        where
            built.document_id = {{ documents }}.document_id
            and built.extractor_version = {{ documents }}.extractor_version
    )
    {%- endif %}
{%- endmacro %}
