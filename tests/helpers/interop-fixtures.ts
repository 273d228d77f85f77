/** Annotation files written the way Praat and ELAN write them, shared by the format and CLI tests. */
import { InteropError } from '../../electron/interop/document.ts';

// As Praat's "Save as text file" writes it (the layout of the manual page "TextGrid file formats"):
// labels, " = ", value and a trailing space; gaps of an interval tier are empty intervals.
export const TEXTGRID_LONG = `File type = "ooTextFile"
Object class = "TextGrid"

xmin = 0 
xmax = 2.3 
tiers? <exists> 
size = 2 
item []: 
    item [1]:
        class = "IntervalTier" 
        name = "emotion" 
        xmin = 0 
        xmax = 2.3 
        intervals: size = 3 
        intervals [1]:
            xmin = 0 
            xmax = 0.512 
            text = "" 
        intervals [2]:
            xmin = 0.512 
            xmax = 1.7345 
            text = "she said ""no""" 
        intervals [3]:
            xmin = 1.7345 
            xmax = 2.3 
            text = "angry" 
    item [2]:
        class = "TextTier" 
        name = "bell" 
        xmin = 0 
        xmax = 2.3 
        points: size = 2 
        points [1]:
            number = 0.9 
            mark = "ding" 
        points [2]:
            number = 1.3 
            mark = "dong" 
`;

// As ELAN 6 saves a document (EAF 3.0): slots in time order, two per annotation, a dependent tier
// of symbolic associations (REF_ANNOTATION), a comment and an entity in a value.
export const EAF = `<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2024-03-05T10:12:44+01:00" FORMAT="3.0" VERSION="3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">
    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">
        <MEDIA_DESCRIPTOR MEDIA_URL="file:///home/ana/corpus/interview.wav" MIME_TYPE="audio/x-wav" RELATIVE_MEDIA_URL="./interview.wav"/>
        <PROPERTY NAME="URN">urn:nl-mpi-tools-elan-eaf:0b4c7a8e-6f0e-4a1b-9d55-3f6a3c7f2d11</PROPERTY>
        <PROPERTY NAME="lastUsedAnnotationId">4</PROPERTY>
    </HEADER>
    <TIME_ORDER>
        <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="120"/>
        <TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="1735"/>
        <TIME_SLOT TIME_SLOT_ID="ts3" TIME_VALUE="2001"/>
        <TIME_SLOT TIME_SLOT_ID="ts4" TIME_VALUE="3999"/>
    </TIME_ORDER>
    <TIER LINGUISTIC_TYPE_REF="default-lt" PARTICIPANT="A" TIER_ID="emotion A">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
                <ANNOTATION_VALUE>happy</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
        <!-- checked twice -->
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts3" TIME_SLOT_REF2="ts4">
                <ANNOTATION_VALUE>angry &amp; loud</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="translation" PARENT_REF="emotion A" TIER_ID="comment">
        <ANNOTATION>
            <REF_ANNOTATION ANNOTATION_ID="a3" ANNOTATION_REF="a1">
                <ANNOTATION_VALUE>laughs</ANNOTATION_VALUE>
            </REF_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="default-lt" TIER_ID="empty"/>
    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="default-lt" TIME_ALIGNABLE="true"/>
    <LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="translation" TIME_ALIGNABLE="false"/>
    <CONSTRAINT DESCRIPTION="1-1 association with a parent annotation" STEREOTYPE="Symbolic_Association"/>
</ANNOTATION_DOCUMENT>
`;

/** The InteropError fn throws: its message, where and reason are what a test checks. */
export function thrown(fn: () => unknown): InteropError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InteropError) return err;
    throw err;
  }
  throw new Error('nothing was thrown');
}

// Files over RAVDESS classes, for imports into a session of the default label set (the API and
// the e2e test). A TextGrid in Praat's short text format ("Save as short text file"): values
// only, one per line, an empty interval before the first label as Praat leaves it.
export const TEXTGRID_SHORT_EMOTIONS = `File type = "ooTextFile"
Object class = "TextGrid"

0
2
<exists>
1
"IntervalTier"
"emotion"
0
2
3
0
0.25
""
0.25
1.125
"happy"
1.125
2
"sad"
`;

// As Audacity's "Export Labels" writes a track: six decimals, tabs, and the spectral-selection
// line ("\\", low and high Hz) after a label drawn with one.
export const AUDACITY_EMOTIONS = '0.100000\t0.600000\tangry\n\\\t200.000000\t3000.000000\n0.800000\t1.900000\tcalm\n';
