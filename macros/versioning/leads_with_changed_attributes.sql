{#- For the lead scoring chain: the leads (as changed_lead_id) whose rebuilt_at in `attributes`
    (int_marketing_lead_attributes, which rewrites exactly the leads whose attributes changed)
    differs from the attributes_rebuilt_at held in the model's own table, both ways: new,
    changed and vanished leads. Compared as sets, not against a watermark, so a night that
    failed half-way is caught up by the next. Call it only when is_incremental(). -#}
{% macro leads_with_changed_attributes(attributes) -%}
    {{ keys_of_differing_rows(
        '(select lead_id, rebuilt_at as attributes_rebuilt_at from ' ~ attributes ~ ')'
            ~ ' as current_versions',
        '(select distinct lead_id, attributes_rebuilt_at from ' ~ this ~ ') as built_versions',
        'lead_id', 'changed_lead_id',
    ) }}
{%- endmacro %}
