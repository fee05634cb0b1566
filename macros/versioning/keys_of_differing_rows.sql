{#- The keys of the rows that differ between two relations with the same columns, both ways:
    rows of `current` missing from `stored` (new or changed) and rows of `stored` missing from
    `current` (changed or gone), each as one `key` column named `as_name`, joined by union. The
    incremental attribution models use it to find the entities whose inputs changed, whatever
    upstream caused the change. -#}
{% macro keys_of_differing_rows(current, stored, key, as_name) -%}
    select added.{{ key }} as {{ as_name }}
    from (
        select * from {{ current }}
        except
        select * from {{ stored }}
    ) as added

    union

    select removed.{{ key }} as {{ as_name }}
    from (
        select * from {{ stored }}
        except
        select * from {{ current }}
    ) as removed
{%- endmacro %}
