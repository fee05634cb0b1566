{#- The keys of the rows that differ between two relations with the same columns, both ways:
    rows of `current` missing from `stored` (new or changed) and rows of `stored` missing from
    `current` (changed or gone), joined by union. `key` is one column, returned as `as_name`,
    or a list of columns, returned under their own names. The incremental attribution models
    and the stage chain use it to find the entities whose inputs changed, whatever upstream
    caused the change. -#}
{% macro keys_of_differing_rows(current, stored, key, as_name=none) -%}
    {%- set keys = [key] if key is string else key -%}
    {%- set names = [as_name or key] if key is string else key -%}
    {%- set ns = namespace(added=[], removed=[]) -%}
    {%- for column in keys -%}
        {%- set ns.added = ns.added + ['added.' ~ column ~ ' as ' ~ names[loop.index0]] -%}
        {%- set ns.removed = ns.removed + ['removed.' ~ column ~ ' as ' ~ names[loop.index0]] -%}
    {%- endfor -%}
    select {{ ns.added | join(', ') }}
    from (
        select * from {{ current }}
        except
        select * from {{ stored }}
    ) as added

    union

    select {{ ns.removed | join(', ') }}
    from (
        select * from {{ stored }}
        except
        select * from {{ current }}
    ) as removed
{%- endmacro %}
